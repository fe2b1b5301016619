package dev.candor.dashboard;

import dev.candor.registry.InputLimits;
import dev.candor.registry.RegistryLimits;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/** One mapper for every resource: RFC 9457 problem JSON, with the message but no class names or stack traces. */
@Provider
public class ProblemMapper implements ExceptionMapper<Exception> {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @Override
    public Response toResponse(Exception e) {
        int status;
        String detail = e.getMessage();
        if (e instanceof WebApplicationException w) {
            status = w.getResponse().getStatus();
            if (status == 413) {
                detail = "the request is larger than the dashboard accepts: a name has at most " + RegistryLimits.ACTOR
                        + " characters and a reason at most " + InputLimits.REASON;
            }
        } else if (e instanceof IllegalArgumentException) {
            status = 400;
        } else {
            status = 500;
            // The message may hold request data (an id, a name): logged through LogSafe, never as it came.
            LOG.error("request failed", LogSafe.throwable(e));
            detail = "internal error: see the dashboard's log";
        }
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", Response.Status.fromStatusCode(status) == null ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase());
        problem.put("status", status);
        problem.put("detail", detail);
        return Response.status(status).type("application/problem+json").entity(problem).build();
    }
}
