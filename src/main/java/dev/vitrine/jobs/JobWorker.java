package dev.vitrine.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.vitrine.ops.DatabaseNotifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;

/**
 * The worker role: one process's engine. Its threads:
 * <ul>
 * <li>the process's {@link DatabaseNotifications} wake the fetcher when a job is enqueued
 * anywhere ({@code NOTIFY}), and when they listen again after a lost connection;</li>
 * <li>one <b>fetcher</b> claims as many due jobs as the process has free slots, per-type
 * limits applied in the same statement, and hands each to a runner thread. Under load it
 * claims ahead of free threads about {@link #PREFETCH_WINDOW} of work at the rate jobs
 * finish (at most {@link JobsSettings#prefetch()}), so that one statement carries many
 * jobs. Slow jobs finish at a low rate and so are not claimed ahead; one claimed ahead
 * behind jobs that turned out slow goes back after {@link #STALE_WAIT}, so another worker
 * with a free thread gets it;</li>
 * <li>a <b>completer</b> writes outcomes in batches, every few milliseconds under
 * load;</li>
 * <li>a <b>keeper</b> renews the leases of everything this process runs with one
 * heartbeat statement, gives back the jobs of its own claims whose answer was lost, takes
 * back jobs of lost workers, interrupts attempts past their deadline and passes on
 * operators' cancellations.</li>
 * </ul>
 * On shutdown it stops claiming, lets running jobs finish within the grace period,
 * interrupts the rest and gives them back to the queue without using an attempt; one
 * whose handler ignores the interrupt keeps its lease until the handler returns or the
 * process exits.
 */
class JobWorker implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(JobWorker.class);

	/** How often the keeper checks deadlines: the resolution of timeouts. */
	private static final Duration WATCH_INTERVAL = Duration.ofMillis(50);

	/** See {@link #lingerForSlots()}. */
	private static final Duration LINGER = Duration.ofMillis(1);

	/** How much work, at the current rate, a worker claims ahead of its free threads. */
	static final Duration PREFETCH_WINDOW = Duration.ofMillis(10);

	/**
	 * How long a job claimed ahead may wait for a thread before it goes back: it was
	 * claimed for about {@link #PREFETCH_WINDOW} of work, and the jobs before it turned
	 * out slower.
	 */
	static final Duration STALE_WAIT = PREFETCH_WINDOW.multipliedBy(10);

	/**
	 * At shutdown, how long the handlers interrupted after the grace period have to
	 * return before the worker stops waiting for them: see {@link LeaseHolder}.
	 */
	static final Duration INTERRUPT_WAIT = Duration.ofSeconds(2);

	/** How long the rows of workers gone stay, for the monitor to show them. */
	private static final Duration FORGET_WORKERS = Duration.ofHours(1);

	/**
	 * After how many finished jobs this worker vacuums the job table (see
	 * {@link #vacuumAfterBursts}).
	 */
	static final int VACUUM_EVERY = 5000;

	/** How long the finish rate behind {@link #PREFETCH_WINDOW} is measured over. */
	private static final long RATE_WINDOW_NANOS = Duration.ofMillis(100).toNanos();

	private final DatabaseNotifications notifications;

	private final JobTable table;

	private final Map<String, JobHandler<?>> handlers;

	private final JobsSettings settings;

	private final String name;

	private final JobTable.WorkerRow row;

	private final String[] typeNames;

	private final String[] queueNames;

	private final List<JobType<?>> types;

	/** Every claim this process holds: running, or waiting for a runner thread. */
	private final HeldClaims claims;

	/**
	 * Claims given back for want of a thread: the fetcher then measures its rate afresh,
	 * as the rate from before the stall would claim them straight back.
	 */
	private final AtomicLong giveBacks = new AtomicLong();

	private final AtomicBoolean vacuuming = new AtomicBoolean();

	// the fetcher's own: the rate jobs finish at, for how far to claim ahead
	private long rateWindowStart = System.nanoTime();

	private long rateWindowFinished;

	private double finishedPerNano;

	private long giveBacksSeen;

	private final Semaphore wakeUp = new Semaphore(0);

	private final Completer completer;

	private final JobAttempt.Shared shared;

	private volatile boolean stopping;

	private volatile boolean backlog;

	private volatile Instant startedAt;

	private volatile Instant lastPoll;

	private volatile String lastError;

	private ExecutorService runners;

	private LinkedBlockingDeque<Runnable> runnerQueue;

	private Thread fetcher;

	private DatabaseNotifications.Subscription wakeUps;

	private Thread keeper;

	JobWorker(DatabaseNotifications notifications, JobTable table, List<JobHandler<?>> handlers, JsonMapper json,
			JobMetrics metrics, JobsSettings settings, WorkerIdentity identity) {
		this.notifications = notifications;
		this.table = table;
		this.settings = settings;
		this.name = identity.name();
		Map<String, JobHandler<?>> byName = new HashMap<>();
		for (JobHandler<?> handler : handlers) {
			if (byName.put(handler.type().name(), handler) != null) {
				throw new IllegalStateException("two handlers for job type " + handler.type().name());
			}
			metrics.register(handler.type());
		}
		this.handlers = Map.copyOf(byName);
		this.typeNames = byName.keySet().stream().sorted().toArray(String[]::new);
		this.types = handlers.stream().<JobType<?>>map(JobHandler::type).toList();
		this.queueNames = new String[this.typeNames.length];
		for (int i = 0; i < this.typeNames.length; i++) {
			this.queueNames[i] = byName.get(this.typeNames[i]).type().queue();
		}
		this.row = new JobTable.WorkerRow(identity.roles(), identity.revision(), settings.threads(), this.typeNames,
				Instant.now());
		this.claims = new HeldClaims(byName.keySet());
		this.completer = new Completer(table, this::wake);
		this.shared = new JobAttempt.Shared(this.claims, this.completer, metrics, json, this::wake);
	}

	@Override
	public void start() {
		this.startedAt = Instant.now();
		this.stopping = false;
		this.table.heartbeat(this.row, Map.of());
		this.runnerQueue = new LinkedBlockingDeque<>();
		ThreadPoolExecutor runners = new ThreadPoolExecutor(this.settings.threads(), this.settings.threads(), 0,
				TimeUnit.MILLISECONDS, this.runnerQueue, Thread.ofPlatform().daemon().name("job-", 1).factory());
		// every thread takes from the queue, so a job put at its head starts next
		runners.prestartAllCoreThreads();
		this.runners = runners;
		this.completer.start();
		this.keeper = EngineThreads.daemon("jobs-keeper", this::keep);
		this.wakeUps = this.notifications.subscribe(PgJobs.WAKE_UP_CHANNEL, this::onWakeUp);
		this.fetcher = EngineThreads.daemon("jobs-fetcher", this::fetch);
		log.info("Worker {} started: revision {}, {} job types, {} threads, lease {} s", this.name, this.row.revision(),
				this.typeNames.length, this.settings.threads(), this.settings.lease().toSeconds());
	}

	@Override
	public void stop() {
		log.info("Worker {} stopping: no new jobs; running ones have {} s to finish", this.name,
				this.settings.shutdownGrace().toSeconds());
		this.stopping = true;
		this.wakeUps.close();
		this.wakeUp.release();
		EngineThreads.join(this.fetcher, Duration.ofSeconds(10));
		// claimed ahead and not started: back to the queue now, for other workers
		int released = withdrawWaiting(Duration.ZERO) + giveBackLostClaims();
		this.claims.all().forEach(JobAttempt::shutdownRequested);
		long graceEnds = System.nanoTime() + this.settings.shutdownGrace().toNanos();
		while (!this.claims.isEmpty() && System.nanoTime() - graceEnds < 0) {
			EngineThreads.sleep(Duration.ofMillis(20));
		}
		// out of the running set before the interrupt, so an interrupted attempt records
		// nothing: its failure would use an attempt, and win over the release below
		List<JobAttempt> unfinished = new ArrayList<>();
		for (JobAttempt attempt : this.claims.all()) {
			if (attempt.takeBack()) {
				unfinished.add(attempt);
			}
		}
		// their leases renewed from now on: a handler that ignores its interrupt goes on
		// running, and its job handed back, or left to lapse, would run on another
		// worker beside it
		LeaseHolder holder = new LeaseHolder(unfinished);
		unfinished.forEach(JobAttempt::interrupt);
		List<JobAttempt> stillRunning = awaitHandlersReturned(unfinished, INTERRUPT_WAIT);
		for (JobAttempt attempt : stillRunning) {
			log.warn("Job {} ({}) did not stop within {} ms of its interrupt: not handed back while its handler "
					+ "runs, so that no other worker runs it beside it; its lease is kept while this process lives, "
					+ "and lapses {} ms after it exits", attempt.jobId(), attempt.claimed().type(),
					INTERRUPT_WAIT.toMillis(), this.settings.lease().toMillis());
		}
		unfinished.removeAll(stillRunning);
		holder.handBackWhenReturned(stillRunning);
		// released before the last outcomes are flushed, which may take a while: nothing
		// renews these jobs' leases any more
		released += release(unfinished);
		this.completer.stop();
		this.keeper.interrupt();
		EngineThreads.join(this.keeper, Duration.ofSeconds(5));
		this.runners.shutdownNow();
		// its row stays until forgotten with those of dead workers, marked stopped: the
		// unknown-type sweep reads when a worker of each type was last seen
		try {
			this.table.markStopped();
		}
		catch (RuntimeException ex) {
			log.debug("Worker {} could not mark its row stopped: {}", this.name, ex.getMessage());
		}
		log.info("Worker {} stopped{}", this.name, (released > 0) ? "; released " + released + " unfinished jobs" : "");
	}

	/**
	 * Gives back the claimed jobs that have waited for a thread longer than
	 * {@code longerThan}, as if never claimed: no attempt used, no history.
	 */
	private int withdrawWaiting(Duration longerThan) {
		long now = System.nanoTime();
		long longerThanNanos = longerThan.toNanos();
		List<JobTable.Claimed> waiting = new ArrayList<>();
		for (JobAttempt attempt : this.claims.all()) {
			if (now - attempt.claimedAt() >= longerThanNanos && attempt.withdraw()) {
				// before the slot shows free: a fetcher that sees it free sees this too
				this.giveBacks.incrementAndGet();
				if (!this.claims.drop(attempt)) {
					continue;
				}
				waiting.add(attempt.claimed());
			}
		}
		return releaseUnstarted(waiting);
	}

	/**
	 * At shutdown, renews the leases of the jobs interrupted after the grace period until
	 * their handlers return. The process may live on long after this worker stopped (an
	 * all-roles process finishes its web requests; the context closes the pool last), and
	 * a lease left to lapse meanwhile would let another worker run a job beside its
	 * handler. When the process exits the renewals stop with it, and the reaper takes
	 * such a job back as a lost worker's, counting the attempt.
	 */
	private final class LeaseHolder {

		private final Set<JobAttempt> held = ConcurrentHashMap.newKeySet();

		private volatile boolean handingBack;

		LeaseHolder(List<JobAttempt> attempts) {
			this.held.addAll(attempts);
			if (!this.held.isEmpty()) {
				EngineThreads.daemon("jobs-lease-holder", this::hold);
			}
		}

		/**
		 * Keeps only these, and from now on hands each back to the queue once its handler
		 * returns: the others are the caller's to release.
		 */
		void handBackWhenReturned(List<JobAttempt> stillRunning) {
			this.held.retainAll(stillRunning);
			this.handingBack = true;
		}

		private void hold() {
			// at once: the keeper's heartbeats left these out since they were taken back
			long nextRenewal = System.nanoTime();
			while (!this.handingBack || !this.held.isEmpty()) {
				if (this.handingBack) {
					List<JobAttempt> returned = this.held.stream().filter((attempt) -> !attempt.onItsThread()).toList();
					if (!returned.isEmpty()) {
						this.held.removeAll(returned);
						log.info("Worker {} released {} jobs whose handlers returned after it stopped",
								JobWorker.this.name, release(returned));
					}
				}
				long now = System.nanoTime();
				if (now - nextRenewal >= 0 && !this.held.isEmpty()) {
					nextRenewal = now + JobWorker.this.settings.heartbeatInterval().toNanos();
					try {
						JobWorker.this.table.renew(this.held.stream().map(JobAttempt::claimed).toList());
					}
					catch (RuntimeException ex) {
						// the pool closes as the process ends: the lease then lapses, as
						// it should
						log.debug("Worker {} could not renew the leases of stopping jobs: {}", JobWorker.this.name,
								ex.getMessage());
					}
				}
				if (!EngineThreads.sleep(WATCH_INTERVAL)) {
					return;
				}
			}
		}

	}

	/**
	 * Waits up to {@code wait} for the handlers of these attempts to return.
	 * @return those whose handler still runs
	 */
	private static List<JobAttempt> awaitHandlersReturned(List<JobAttempt> attempts, Duration wait) {
		long until = System.nanoTime() + wait.toNanos();
		List<JobAttempt> running = new ArrayList<>(attempts);
		running.removeIf((attempt) -> !attempt.onItsThread());
		while (!running.isEmpty() && System.nanoTime() < until) {
			LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
			running.removeIf((attempt) -> !attempt.onItsThread());
		}
		return running;
	}

	private int releaseUnstarted(List<JobTable.Claimed> jobs) {
		if (jobs.isEmpty()) {
			return 0;
		}
		try {
			return this.table.releaseUnstarted(jobs);
		}
		catch (RuntimeException ex) {
			log.warn("Worker {} could not give back {} jobs it had not started ({}); they run when their lease expires",
					this.name, jobs.size(), ex.getMessage());
			return 0;
		}
	}

	private int giveBackLostClaims() {
		try {
			int given = this.table.giveBackLostClaims();
			if (given > 0) {
				log.info("Worker {} gave back {} jobs of a claim whose answer it never got", this.name, given);
			}
			return given;
		}
		catch (RuntimeException ex) {
			log.warn("Worker {} could not give back the jobs of a claim whose answer it never got ({}); they run "
					+ "again when their lease expires", this.name, ex.getMessage());
			return 0;
		}
	}

	private int release(List<JobAttempt> attempts) {
		if (attempts.isEmpty()) {
			return 0;
		}
		try {
			return this.table.release(attempts.stream().map(JobAttempt::claimed).toList());
		}
		catch (RuntimeException ex) {
			log.warn("Worker {} could not release {} unfinished jobs ({}); they run again when their lease expires",
					this.name, attempts.size(), ex.getMessage());
			return 0;
		}
	}

	@Override
	public boolean isRunning() {
		return this.startedAt != null && !this.stopping;
	}

	@Override
	public int getPhase() {
		// stop before the web server's graceful shutdown ends,
		// and long before the pool closes
		return SmartLifecycle.DEFAULT_PHASE - 1024;
	}

	/**
	 * When the worker last showed it can reach the database: a claim or a heartbeat. Null
	 * before the first.
	 */
	Instant lastPoll() {
		return this.lastPoll;
	}

	Instant startedAt() {
		return this.startedAt;
	}

	/** How stale {@link #lastPoll()} may be on a healthy worker. */
	Duration healthyPollAge() {
		Duration slowest = (this.settings.pollInterval().compareTo(this.settings.heartbeatInterval()) > 0)
				? this.settings.pollInterval() : this.settings.heartbeatInterval();
		Duration allowed = slowest.multipliedBy(4);
		return (allowed.compareTo(Duration.ofSeconds(15)) > 0) ? allowed : Duration.ofSeconds(15);
	}

	String lastError() {
		return this.lastError;
	}

	String name() {
		return this.name;
	}

	/**
	 * Attempts that passed their deadline by more than a heartbeat interval and still
	 * hold their thread: their handler ignores interrupts.
	 */
	List<String> stuck() {
		long now = System.nanoTime();
		long margin = this.settings.heartbeatInterval().toNanos();
		return this.claims.all()
			.stream()
			.filter((attempt) -> attempt.pastDeadline(now, margin))
			.map((attempt) -> attempt.jobId() + " (deadline " + attempt.deadline() + ")")
			.sorted()
			.toList();
	}

	/** A slot is free: wake the fetcher if jobs may be waiting for one. */
	private void wake() {
		if (this.backlog) {
			this.wakeUp.release();
		}
	}

	/**
	 * Claims what free slots allow, then waits for a wake-up (a NOTIFY, or a slot freed
	 * while jobs may be waiting for one) or the poll interval.
	 */
	private void fetch() {
		try {
			fetchUntilStopping();
		}
		finally {
			// a claim that failed as it stopped: stop() may have looked already
			giveBackLostClaims();
		}
	}

	private void fetchUntilStopping() {
		while (!this.stopping) {
			this.wakeUp.drainPermits();
			try {
				claimOnce();
			}
			catch (RuntimeException ex) {
				this.lastError = ex.getMessage();
				log.warn("Worker {} could not claim jobs ({}); trying again in {} ms", this.name, ex.getMessage(),
						this.settings.pollInterval().toMillis());
			}
			try {
				this.wakeUp.tryAcquire(this.settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				return;
			}
			lingerForSlots();
		}
	}

	/**
	 * With jobs waiting, lets up to a millisecond pass for half the slots to be free: a
	 * claim costs the database about as much for one job as for ten, so claiming each
	 * slot as it frees would spend it on statements rather than jobs. With jobs claimed
	 * ahead, the threads stay busy meanwhile, so it waits up to half the prefetch window.
	 */
	private void lingerForSlots() {
		int ahead = ahead();
		long until = System.nanoTime() + ((ahead > 0) ? PREFETCH_WINDOW.dividedBy(2) : LINGER).toNanos();
		int slots = this.settings.threads() + ahead;
		while (this.backlog && !this.stopping && this.claims.size() > slots / 2 && System.nanoTime() < until) {
			LockSupport.parkNanos(LINGER.toNanos() / 10);
		}
	}

	/**
	 * How many jobs to claim beyond the free threads: about {@link #PREFETCH_WINDOW} of
	 * work at the rate jobs finished lately, at most the prefetch setting. Jobs that take
	 * longer than the window each are not claimed ahead at all, nor any after claims went
	 * back for want of a thread until a window measured since then says so.
	 */
	private int ahead() {
		long now = System.nanoTime();
		long giveBacksNow = this.giveBacks.get();
		if (giveBacksNow != this.giveBacksSeen) {
			this.giveBacksSeen = giveBacksNow;
			this.finishedPerNano = 0;
			this.rateWindowStart = now;
			this.rateWindowFinished = this.claims.finished();
		}
		else if (now - this.rateWindowStart >= RATE_WINDOW_NANOS) {
			long count = this.claims.finished();
			this.finishedPerNano = (double) (count - this.rateWindowFinished) / (now - this.rateWindowStart);
			this.rateWindowStart = now;
			this.rateWindowFinished = count;
		}
		return (int) Math.min(this.settings.prefetch(), (long) (this.finishedPerNano * PREFETCH_WINDOW.toNanos()));
	}

	private void claimOnce() {
		giveBackLostClaims();
		int threads = this.settings.threads();
		// read before ahead() reads giveBacks: a slot seen free here was freed after its
		// increment (ConcurrentHashMap's size() reads its counters volatile, in OpenJDK)
		int holding = this.claims.size();
		int capacity = threads + ahead() - holding;
		if (capacity <= 0 || this.typeNames.length == 0) {
			this.backlog = true;
			return;
		}
		int[] free = new int[this.typeNames.length];
		for (int i = 0; i < free.length; i++) {
			int limit = this.handlers.get(this.typeNames[i]).type().concurrency();
			// a type limited below the thread count is claimed only up to its limit,
			// waiting ones included: the runner threads start jobs in claim order and
			// could not hold one back
			free[i] = (limit >= threads) ? capacity : Math.min(capacity, limit - this.claims.ofType(this.typeNames[i]));
		}
		// as many as threads are free start next (a lost worker's job
		// gets one place even with none free, ahead of the waiting
		// ones); the reaper treats the rest as maybe unstarted
		int startNow = Math.max(0, threads - this.claims.size());
		List<JobTable.Claimed> claimed = this.table.claim(this.typeNames, this.queueNames, free, capacity, startNow);
		this.lastPoll = Instant.now();
		Map<String, Integer> perType = new HashMap<>();
		for (JobTable.Claimed job : claimed) {
			perType.merge(job.type(), 1, Integer::sum);
		}
		// jobs may be waiting for a slot: when the process or a type is at its limit, or
		// a type got all it asked for
		boolean limited = claimed.size() == capacity;
		for (int i = 0; i < free.length && !limited; i++) {
			limited = free[i] <= 0 || perType.getOrDefault(this.typeNames[i], 0) == free[i];
		}
		this.backlog = limited;
		if (this.stopping) {
			// shutdown began while this claim ran, maybe after the claimed-ahead jobs
			// were given back: these go back too
			releaseUnstarted(claimed);
			return;
		}
		List<Runnable> next = new ArrayList<>();
		List<Runnable> ahead = new ArrayList<>();
		for (JobTable.Claimed job : claimed) {
			JobAttempt attempt = new JobAttempt(job, this.handlers.get(job.type()), this.shared);
			JobAttempt previous = this.claims.hold(attempt);
			if (previous != null) {
				// its lease lapsed while this worker still held it, and the reaper gave
				// it back: the old attempt records nothing, and no longer counts
				previous.leaseLost();
			}
			(job.startsNext() ? next : ahead).add(attempt::run);
		}
		// ahead of the jobs claimed ahead earlier, in claim order; and queued before this
		// claim's own jobs claimed ahead, which idle threads would otherwise take first
		for (int i = next.size() - 1; i >= 0; i--) {
			this.runnerQueue.addFirst(next.get(i));
		}
		ahead.forEach(this.runners::execute);
	}

	/**
	 * Wakes the fetcher on every NOTIFY, and when LISTEN starts again: jobs enqueued
	 * while it was not in effect notified nobody.
	 */
	private void onWakeUp(DatabaseNotifications.Event event) {
		if (event instanceof DatabaseNotifications.Lost lost) {
			log.warn("Job wake-ups paused ({}); polling every {} ms until the database answers", lost.reason(),
					this.settings.pollInterval().toMillis());
			return;
		}
		this.wakeUp.release();
	}

	/**
	 * Heartbeats, reaping, deadlines, cancellations, the unknown-type sweep, dead
	 * workers, vacuuming after bursts.
	 */
	private void keep() {
		long vacuumedAt = 0;
		// the monotonic clock: a step of the wall clock (NTP, a VM resumed) must neither
		// skip heartbeats until leases lapse nor time out jobs that have time left
		long nextHeartbeat = System.nanoTime();
		long nextSweep = nextHeartbeat + sweepInterval().toNanos();
		while (!Thread.currentThread().isInterrupted()) {
			long now = System.nanoTime();
			for (JobAttempt attempt : this.claims.all()) {
				if (attempt.pastDeadline(now, 0)) {
					attempt.timeOut();
				}
			}
			if (now - nextHeartbeat >= 0) {
				nextHeartbeat = now + this.settings.heartbeatInterval().toNanos();
				heartbeat();
			}
			if (!this.stopping) {
				// claimed ahead behind jobs that turned out slow: back to the database,
				// where a worker with a free thread takes them
				int stale = withdrawWaiting(STALE_WAIT);
				if (stale > 0) {
					log.debug("Worker {} gave back {} jobs that waited for a thread", this.name, stale);
					this.wakeUp.release();
				}
			}
			if (now - nextSweep >= 0 && !this.stopping) {
				nextSweep = now + sweepInterval().toNanos();
				try {
					int failed = this.table.failUnrunnable(this.settings.unknownTypeGrace());
					if (failed > 0) {
						log.warn("Worker {} failed {} jobs whose type no live worker runs", this.name, failed);
					}
					// rows of workers gone for an hour, or for the
					// sweep's grace if longer: not at every heartbeat
					Duration unknownTypeGrace = this.settings.unknownTypeGrace();
					this.table.forgetWorkers(
							(unknownTypeGrace.compareTo(FORGET_WORKERS) > 0) ? unknownTypeGrace : FORGET_WORKERS);
				}
				catch (RuntimeException ex) {
					log.debug("Unknown-type sweep failed: {}", ex.getMessage());
				}
			}
			vacuumedAt = vacuumAfterBursts(vacuumedAt);
			if (!EngineThreads.sleep(WATCH_INTERVAL)) {
				return;
			}
		}
	}

	/**
	 * Every claim and outcome leaves dead entries in the job table's claim index, which
	 * each claim walks past until a vacuum removes them: in a burst of 20,000 jobs a
	 * claim grew from 0.3 to over 1 ms. Autovacuum looks at a database once a minute at
	 * most, so a worker that finished {@link #VACUUM_EVERY} jobs since its last vacuum
	 * starts one, on a thread of its own: on a table with a large backlog it takes a
	 * while, and this thread renews the leases.
	 * @return the finished count at the last vacuum
	 */
	private long vacuumAfterBursts(long vacuumedAt) {
		long count = this.claims.finished();
		if (count - vacuumedAt < VACUUM_EVERY || !this.vacuuming.compareAndSet(false, true)) {
			return vacuumedAt;
		}
		Thread.ofVirtual().name("jobs-vacuum").start(() -> {
			try {
				this.table.vacuum();
			}
			catch (RuntimeException ex) {
				log.warn("Worker {} could not vacuum the job table: {}", this.name, ex.getMessage());
			}
			finally {
				this.vacuuming.set(false);
			}
		});
		return count;
	}

	private void heartbeat() {
		try {
			Map<Long, Long> sent = held();
			List<JobTable.Lease> leases = this.table.heartbeat(this.row, sent);
			this.lastPoll = Instant.now();
			Set<Long> renewed = new HashSet<>();
			for (JobTable.Lease lease : leases) {
				JobAttempt attempt = this.claims.get(lease.id());
				if (attempt != null && attempt.claimed().version() == lease.version()) {
					renewed.add(lease.id());
					if (lease.cancelRequested()) {
						attempt.cancel();
					}
				}
			}
			for (JobAttempt attempt : this.claims.all()) {
				// only a claim this heartbeat asked about: one made meanwhile was not
				long id = attempt.claimed().id();
				if (Long.valueOf(attempt.claimed().version()).equals(sent.get(id)) && !renewed.contains(id)) {
					attempt.leaseLost();
				}
			}
			if (!this.stopping) {
				// before the reaper, on the same thread: this worker's own claims whose
				// answer
				// it never got go back as never started, however late the fetcher is to
				// it,
				// not as jobs of a lost worker
				if (giveBackLostClaims() > 0) {
					this.wakeUp.release();
				}
				int reaped = this.table.reapExpired(this.types);
				if (reaped > 0) {
					log.warn("Worker {} took back {} jobs from workers that stopped renewing their lease", this.name,
							reaped);
					this.wakeUp.release();
				}
			}
			this.lastError = null;
		}
		catch (RuntimeException ex) {
			this.lastError = ex.getMessage();
			log.warn("Worker {} heartbeat failed: {}", this.name, ex.getMessage());
		}
	}

	/**
	 * The claims this worker holds, id to version: the jobs it runs and those whose
	 * outcome waits to be written.
	 */
	private Map<Long, Long> held() {
		Map<Long, Long> held = new HashMap<>(this.completer.unwritten());
		for (JobAttempt attempt : this.claims.all()) {
			held.put(attempt.claimed().id(), attempt.claimed().version());
		}
		return held;
	}

	private Duration sweepInterval() {
		Duration grace = this.settings.unknownTypeGrace();
		return (grace.compareTo(Duration.ofMinutes(1)) < 0) ? grace : Duration.ofMinutes(1);
	}

}
