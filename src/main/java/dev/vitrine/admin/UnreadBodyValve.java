package dev.vitrine.admin;

import java.io.IOException;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Closes the connection after a response that refused a request body unread, instead of
 * Tomcat's default: reading the rest of the body (up to 2 MB, for as long as the client
 * takes to send it) before the response goes out. A client that announced 10 MB and
 * stalled would otherwise hold a thread and never see the refusal.
 */
class UnreadBodyValve extends ValveBase {

	/** Set by {@link RequestBodyLimits} on a request whose body it refused. */
	static final String REFUSED = UnreadBodyValve.class.getName() + ".REFUSED";

	UnreadBodyValve() {
		super(true);
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		getNext().invoke(request, response);
		if (request.getAttribute(REFUSED) != null) {
			request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
		}
	}

}
