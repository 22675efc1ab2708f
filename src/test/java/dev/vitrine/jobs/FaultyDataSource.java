package dev.vitrine.jobs;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A data source that breaks the database under a statement on request: armed, the k-th
 * statement execution (counted across every connection it has handed out, only those
 * whose SQL matches a pattern) throws an {@link SQLException} with a connection-failure
 * state and aborts its connection, as if the server or the network died mid-statement.
 * Either the statement never reaches the database ({@link Phase#BEFORE}), or it runs (and
 * commits, outside a transaction) and its answer is lost ({@link Phase#AFTER}).
 */
final class FaultyDataSource extends DelegatingDataSource {

	enum Phase {

		/** The statement never reaches the database. */
		BEFORE,

		/**
		 * The statement runs, and commits unless in a transaction; its answer is lost.
		 */
		AFTER

	}

	private record Fault(Pattern sql, int k, Phase phase) {
	}

	private final AtomicInteger seen = new AtomicInteger();

	private final AtomicInteger fired = new AtomicInteger();

	private volatile Fault fault;

	/**
	 * A thread whose first statement after the fault sleeps: see
	 * {@link #stallAfterFault}.
	 */
	private volatile String stalledThread;

	private volatile Duration stall;

	FaultyDataSource(DataSource real) {
		super(real);
	}

	/** Breaks the {@code k}-th execution from now of a statement matching {@code sql}. */
	void arm(String sql, int k, Phase phase) {
		this.fault = null;
		this.seen.set(0);
		this.fired.set(0);
		this.fault = new Fault(Pattern.compile(sql), k, phase);
	}

	void disarm() {
		this.fault = null;
		this.stalledThread = null;
	}

	/**
	 * Once the fault went off, the next statement the thread of this name runs waits this
	 * long first: a thread the machine's load holds back at the worst moment.
	 */
	void stallAfterFault(String threadName, Duration duration) {
		this.stall = duration;
		this.stalledThread = threadName;
	}

	private void stallIfDue() throws InterruptedException {
		String thread = this.stalledThread;
		if (thread != null && this.fired.get() > 0 && thread.equals(Thread.currentThread().getName())) {
			this.stalledThread = null;
			Thread.sleep(this.stall);
		}
	}

	/** Whether the armed fault went off. */
	boolean fired() {
		return this.fired.get() > 0;
	}

	@Override
	public Connection getConnection() throws SQLException {
		return connection(super.getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return connection(super.getConnection(username, password));
	}

	private Connection connection(Connection real) {
		return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
				new ConnectionHandler(real));
	}

	/** Whether this execution is the one to break. */
	private Phase strikes(String sql) {
		Fault armed = this.fault;
		if (armed == null || sql == null || !armed.sql().matcher(sql).find()) {
			return null;
		}
		if (this.seen.incrementAndGet() != armed.k()) {
			return null;
		}
		this.fired.incrementAndGet();
		return armed.phase();
	}

	private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

	private static Object unwrap(Object proxy, Object real, Method method, Object[] args) throws Throwable {
		Class<?> type = (Class<?>) args[0];
		if (method.getName().equals("isWrapperFor")) {
			return type.isInstance(proxy) || (boolean) invoke(real, method, args);
		}
		return type.isInstance(proxy) ? proxy : invoke(real, method, args);
	}

	private final class ConnectionHandler implements InvocationHandler {

		private final Connection real;

		ConnectionHandler(Connection real) {
			this.real = real;
		}

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
			String name = method.getName();
			if (name.equals("unwrap") || name.equals("isWrapperFor")) {
				return unwrap(proxy, this.real, method, args);
			}
			Object result = FaultyDataSource.invoke(this.real, method, args);
			if (result instanceof Statement statement) {
				String sql = (name.startsWith("prepare") && args != null && args[0] instanceof String text) ? text
						: null;
				Class<?> type = (statement instanceof CallableStatement) ? CallableStatement.class
						: (statement instanceof PreparedStatement) ? PreparedStatement.class : Statement.class;
				return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { type },
						new StatementHandler(statement, sql, this.real, (Connection) proxy));
			}
			return result;
		}

	}

	private final class StatementHandler implements InvocationHandler {

		private final Statement real;

		private final String sql;

		private final Connection connection;

		private final Connection connectionProxy;

		StatementHandler(Statement real, String sql, Connection connection, Connection connectionProxy) {
			this.real = real;
			this.sql = sql;
			this.connection = connection;
			this.connectionProxy = connectionProxy;
		}

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
			String name = method.getName();
			if (name.equals("unwrap") || name.equals("isWrapperFor")) {
				return unwrap(proxy, this.real, method, args);
			}
			if (name.equals("getConnection")) {
				return this.connectionProxy;
			}
			if (!name.startsWith("execute")) {
				return FaultyDataSource.invoke(this.real, method, args);
			}
			String executed = (args != null && args.length > 0 && args[0] instanceof String text) ? text : this.sql;
			stallIfDue();
			Phase phase = strikes(executed);
			if (phase == null) {
				return FaultyDataSource.invoke(this.real, method, args);
			}
			if (phase == Phase.AFTER) {
				FaultyDataSource.invoke(this.real, method, args);
			}
			this.connection.abort(Runnable::run);
			throw new SQLException("injected fault: the connection broke " + phase.name().toLowerCase()
					+ " the database ran: " + executed.strip().lines().findFirst().orElse(""), "08006");
		}

	}

}
