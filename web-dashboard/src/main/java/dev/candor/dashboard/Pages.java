package dev.candor.dashboard;

import dev.candor.registry.GateResultView;
import dev.candor.registry.Registry;
import dev.candor.registry.RunDetail;
import dev.candor.registry.RunSummary;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** The server-rendered pages: runs, newest first, one run in detail, and its printable audit report. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class Pages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance runs(List<RunRow> runs, List<String> metricNames);

        static native TemplateInstance run(RunPage page, CompareLinks compare);

        static native TemplateInstance report(RunPage page);
    }

    private final Registry registry;
    private final ReportPdf pdfs;

    Pages(Registry registry, ReportPdf pdfs) {
        this.registry = registry;
        this.pdfs = pdfs;
    }

    @GET
    public TemplateInstance runs() {
        List<RunSummary> runs = registry.listRuns(200);
        Map<String, List<GateResultView>> gates = registry.gatesOfRuns(runs.stream().map(RunSummary::id).toList());
        List<RunRow> rows = runs.stream().map(r -> {
            List<GateResultView> g = gates.getOrDefault(r.id(), List.of());
            return new RunRow(r, GatesView.tally(r.status(), g), g.stream().anyMatch(x -> !x.passed()));
        }).toList();
        return Templates.runs(rows, List.of("accuracy", "roc_auc", "f1_macro", "log_loss"));
    }

    @GET
    @Path("runs/{id}")
    public TemplateInstance run(@PathParam("id") String id) {
        RunPage page = page(id);
        String runId = page.run().summary().id();
        return Templates.run(page, new CompareLinks(runId,
                registry.previousRun(runId, false).map(RunSummary::id).orElse(""),
                registry.previousRun(runId, true).map(RunSummary::id).orElse("")));
    }

    /**
     * The same evidence as one self-contained page for the record: inline CSS and SVG, no script, nothing fetched,
     * laid out for printing (or saving as PDF from the browser's print dialog).
     */
    @GET
    @Path("runs/{id}/report")
    public TemplateInstance report(@PathParam("id") String id) {
        return Templates.report(page(id));
    }

    /**
     * The audit report as a PDF, printed by a headless Chromium on this machine from the same HTML
     * ({@link ReportPdf}: a bounded number of browsers, each report printed once). 503 with {@code Retry-After} when
     * every browser stayed busy.
     */
    @GET
    @Path("runs/{id}/report.pdf")
    @Produces({"application/pdf", MediaType.TEXT_PLAIN})
    public Response reportPdf(@PathParam("id") String id) throws InterruptedException {
        // A 404 for an unknown run before any browser is involved (the problem mapper words it).
        RunPage page = page(id);
        String runId = page.run().summary().id();
        try {
            byte[] pdf = pdfs.pdf(Templates.report(page).render(), "the report of run " + runId);
            return Response.ok(pdf, "application/pdf").header("Content-Disposition",
                    "attachment; filename=\"candor-run-" + runId.substring(0, Math.min(8, runId.length()))
                            + "-audit-report.pdf\"").build();
        } catch (ReportPdf.PdfException e) {
            Response.ResponseBuilder answer = Response.status(e.status())
                    .type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(e.getMessage());
            if (e.retryAfterSeconds() > 0) {
                answer.header("Retry-After", e.retryAfterSeconds());
            }
            return answer.build();
        }
    }

    private RunPage page(String id) {
        RunDetail run = registry.getRun(id).orElseThrow(() -> new NotFoundException("no run " + Echo.id(id)));
        return RunPage.of(run, registry.stageLinks(run.summary().id()), registry.modelVersions(run.summary().id()));
    }
}
