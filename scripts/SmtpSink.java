import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A minimal SMTP server for scripts/verify-images.sh: accepts every message on 127.0.0.1
 * and appends it to a file, so the script can see that the worker container sent the
 * contact mail. No TLS, no authentication; not for anything but that check.
 *
 * <pre>java scripts/SmtpSink.java PORT FILE</pre>
 */
public class SmtpSink {

	public static void main(String[] args) throws IOException {
		int port = Integer.parseInt(args[0]);
		Path mailbox = Path.of(args[1]);
		try (ServerSocket server = new ServerSocket(port, 16, InetAddress.getLoopbackAddress())) {
			while (true) {
				Socket client = server.accept();
				Thread.ofVirtual().start(() -> serve(client, mailbox));
			}
		}
	}

	private static void serve(Socket client, Path mailbox) {
		try (client;
				BufferedReader in = new BufferedReader(
						new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
				PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8)) {
			reply(out, "220 smtp-sink ready");
			String line;
			while ((line = in.readLine()) != null) {
				String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
				switch (command) {
					case "DATA" -> {
						reply(out, "354 end with <CRLF>.<CRLF>");
						StringBuilder message = new StringBuilder();
						while ((line = in.readLine()) != null && !line.equals(".")) {
							message.append(line.startsWith("..") ? line.substring(1) : line).append('\n');
						}
						synchronized (SmtpSink.class) {
							Files.writeString(mailbox, message.append("\n.\n"), StandardCharsets.UTF_8,
									StandardOpenOption.CREATE, StandardOpenOption.APPEND);
						}
						reply(out, "250 stored");
					}
					case "QUIT" -> {
						reply(out, "221 bye");
						return;
					}
					default -> reply(out, "250 ok");
				}
			}
		}
		catch (IOException ex) {
			System.err.println("smtp-sink: " + ex);
		}
	}

	private static void reply(PrintWriter out, String line) {
		out.print(line + "\r\n");
		out.flush();
	}

}
