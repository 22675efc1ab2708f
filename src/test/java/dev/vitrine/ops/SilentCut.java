package dev.vitrine.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP relay to PostgreSQL that can be cut without a word, as a network that goes away
 * or a firewall that forgets a connection cuts it: from then on nothing passes either
 * way, and nothing is closed, so neither end learns of it but by waiting for an answer.
 */
final class SilentCut implements AutoCloseable {

	private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^:/]+):([0-9]+)(/.*)");

	private final ServerSocket server;

	private final String host;

	private final int port;

	/** The database's address after host and port: path and parameters. */
	private final String rest;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private volatile boolean cut;

	/**
	 * @param url a JDBC URL of a database, {@code jdbc:postgresql://HOST:PORT/...}
	 */
	SilentCut(String url) {
		Matcher address = URL.matcher(url);
		if (!address.matches()) {
			throw new IllegalArgumentException("not a jdbc:postgresql://HOST:PORT/ URL: " + url);
		}
		this.host = address.group(1);
		this.port = Integer.parseInt(address.group(2));
		this.rest = address.group(3);
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread.ofVirtual().start(this::accept);
	}

	/** The database's JDBC URL through this relay. */
	String url() {
		return "jdbc:postgresql://127.0.0.1:" + this.server.getLocalPort() + this.rest;
	}

	/** From now on, what either end sends is lost. */
	void cut() {
		this.cut = true;
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				Socket postgres = new Socket(this.host, this.port);
				this.sockets.add(client);
				this.sockets.add(postgres);
				Thread.ofVirtual().start(() -> pump(client, postgres));
				Thread.ofVirtual().start(() -> pump(postgres, client));
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private void pump(Socket from, Socket to) {
		byte[] buffer = new byte[8192];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int read;
			while ((read = in.read(buffer)) >= 0) {
				if (!this.cut) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
		}
		catch (IOException ex) {
			// one end closed: the other follows with the streams
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		for (Socket socket : this.sockets) {
			socket.close();
		}
	}

}
