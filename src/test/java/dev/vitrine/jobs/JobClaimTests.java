package dev.vitrine.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.vitrine.ops.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What one claim statement takes: order, limits and pauses, on real PostgreSQL. */
class JobClaimTests {

	private static JdbcClient jdbc;

	private static JobTable table;

	@BeforeAll
	static void migrate() {
		String url = TestPostgres.newDatabase("job_claim");
		Flyway.configure()
			.dataSource(url, TestPostgres.user(), null)
			.locations("classpath:db/migration")
			.load()
			.migrate();
		jdbc = JdbcClient
			.create(new SimpleDriverDataSource(new org.postgresql.Driver(), url, TestPostgres.user(), null));
		table = new JobTable(jdbc, "claim-tests", Duration.ofSeconds(30));
	}

	@BeforeEach
	void empty() {
		jdbc.sql("TRUNCATE job, job_pause").update();
	}

	@Test
	void aClaimTakesSmallerPriorityFirstThenTheLongestDue() {
		long lowOld = insert("claim.a", "q", 5, "2 minutes");
		long highNew = insert("claim.b", "q", 0, "1 minute");
		long highOld = insert("claim.a", "q", 0, "3 minutes");

		String[] types = { "claim.a", "claim.b" };
		String[] queues = { "q", "q" };

		// one slot at a time: each claim takes the best of what waits
		assertThat(ids(table.claim(types, queues, new int[] { 1, 1 }, 1))).containsExactly(highOld);
		assertThat(ids(table.claim(types, queues, new int[] { 1, 1 }, 1))).containsExactly(highNew);
		assertThat(ids(table.claim(types, queues, new int[] { 1, 1 }, 1))).containsExactly(lowOld);
	}

	@Test
	void aClaimTakesNoMoreOfATypeThanItsFreeSlotsAndNothingNotYetDue() {
		for (int i = 0; i < 5; i++) {
			insert("claim.a", "q", 0, "1 minute");
		}
		long future = jdbc.sql("""
				INSERT INTO job (type, queue, payload, max_attempts, run_at)
				VALUES ('claim.b', 'q', '{}', 3, now() + interval '1 hour') RETURNING id
				""").query(Long.class).single();

		List<JobTable.Claimed> claimed = table.claim(new String[] { "claim.a", "claim.b" }, new String[] { "q", "q" },
				new int[] { 2, 8 }, 8);

		assertThat(claimed).hasSize(2).allSatisfy((job) -> {
			assertThat(job.type()).isEqualTo("claim.a");
			assertThat(job.attempt()).as("counted at the claim").isOne();
		});
		assertThat(ids(claimed)).doesNotContain(future);
	}

	@Test
	void aClaimSkipsPausedQueuesAndTypes() {
		insert("claim.a", "qa", 0, "1 minute");
		long other = insert("claim.b", "qb", 0, "1 minute");
		jdbc.sql("INSERT INTO job_pause (scope, name) VALUES ('queue', 'qa')").update();

		assertThat(ids(
				table.claim(new String[] { "claim.a", "claim.b" }, new String[] { "qa", "qb" }, new int[] { 8, 8 }, 8)))
			.containsExactly(other);

		jdbc.sql("TRUNCATE job_pause").update();
		jdbc.sql("INSERT INTO job_pause (scope, name) VALUES ('type', 'claim.a')").update();
		assertThat(table.claim(new String[] { "claim.a" }, new String[] { "qa" }, new int[] { 8 }, 8)).isEmpty();
	}

	@Test
	void aWorkerWritesNoOutcomeForAClaimAnotherWorkerNowHoldsEvenAtTheSameVersion() {
		long id = insert("claim.a", "q", 0, "1 minute");
		JobTable.Claimed mine = table.claim(new String[] { "claim.a" }, new String[] { "q" }, new int[] { 1 }, 1)
			.getFirst();
		// as after the reaper took it back, an operator retried it (numbering its
		// versions
		// from 0 again) and another worker claimed it: the same version, another holder
		jdbc.sql("UPDATE job SET leased_by = 'someone-else' WHERE id = ?").param(id).update();

		List<Long> written = table.complete(List.of(new JobTable.Finished(mine.id(), mine.version(),
				JobTable.Outcome.SUCCEEDED, null, Instant.now(), Instant.now(), null, null)));

		assertThat(written).isEmpty();
		assertThat(jdbc.sql("SELECT leased_by FROM job WHERE id = ?").param(id).query(String.class).single())
			.isEqualTo("someone-else");
		assertThat(jdbc.sql("SELECT count(*) FROM job_run WHERE job_id = ?").param(id).query(Integer.class).single())
			.isZero();
	}

	private static long insert(String type, String queue, int priority, String ago) {
		return jdbc.sql("""
				INSERT INTO job (type, queue, priority, payload, max_attempts, run_at)
				VALUES (:type, :queue, :priority, '{}', 3, now() - CAST(:ago AS interval)) RETURNING id
				""")
			.param("type", type)
			.param("queue", queue)
			.param("priority", priority)
			.param("ago", ago)
			.query(Long.class)
			.single();
	}

	private static List<Long> ids(List<JobTable.Claimed> claimed) {
		return claimed.stream().map(JobTable.Claimed::id).toList();
	}

}
