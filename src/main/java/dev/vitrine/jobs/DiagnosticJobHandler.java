package dev.vitrine.jobs;

class DiagnosticJobHandler implements JobHandler<DiagnosticJob> {

	@Override
	public JobType<DiagnosticJob> type() {
		return DiagnosticJob.TYPE;
	}

	@Override
	public void handle(DiagnosticJob payload, JobContext context) throws InterruptedException {
		if (payload.workMillis() > 0) {
			Thread.sleep(payload.workMillis());
		}
		if (payload.fail()) {
			throw new IllegalStateException("diagnostic job " + context.jobId() + " was asked to fail");
		}
	}

}
