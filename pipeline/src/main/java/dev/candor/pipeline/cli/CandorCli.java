package dev.candor.pipeline.cli;

import dev.candor.pipeline.exec.EngineVersion;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code candor} command. Exit codes: 0 done, 1 a stage failed (a fault of the stage or a library, not of the
 * input), 2 bad input (a mistake in the pipeline or the command line, or data a stage cannot use), 3 an error of the
 * environment (database, files), 4 every stage succeeded but a gate failed.
 */
@Command(name = "candor", mixinStandardHelpOptions = true, versionProvider = CandorCli.Version.class,
        description = "Runs, records and explains auditable machine-learning pipelines.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:a stage failed (not because of its input)",
                "2:bad input: a mistake in the pipeline or the command line, or data a stage cannot use",
                "3:an error of the environment (database, files)", "4:every stage succeeded but a gate failed"},
        subcommands = {ValidateCommand.class, RunCommand.class, RunsCommand.class, ShowCommand.class, UpCommand.class,
                SchemaCommand.class, CommandLine.HelpCommand.class})
public final class CandorCli {
    public static final int OK = 0;
    /** A stage failed for a reason other than its input: a fault of the stage or of a library it uses. */
    public static final int STAGE_FAILED = 1;
    /**
     * Bad input: a mistake in the pipeline file or the command line (nothing ran), or a run that failed because a
     * stage found data it cannot use or configuration the data contradicts (the run is recorded FAILED and resumable).
     */
    public static final int SPEC_ERROR = 2;
    public static final int ENVIRONMENT_ERROR = 3;
    /** Every stage succeeded but at least one of the pipeline's gates did not pass (run status FAILED_GATES). */
    public static final int GATE_FAILED = 4;

    public static void main(String[] args) {
        Logging.configure();
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int execute(String... args) {
        return execute(null, null, args);
    }

    /** As {@link #execute(String...)}, with picocli's output and error writers replaced when not null. */
    public static int execute(PrintWriter stdout, PrintWriter stderr, String... args) {
        CommandLine cli = new CommandLine(new CandorCli());
        if (stdout != null) cli.setOut(stdout);
        if (stderr != null) cli.setErr(stderr);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("candor: " + Messages.of(e));
            if (System.getenv("CANDOR_DEBUG") != null) e.printStackTrace(err);
            else err.println("(set CANDOR_DEBUG=1 for the stack trace)");
            err.flush();
            return ENVIRONMENT_ERROR;
        });
        cli.setParameterExceptionHandler((e, args1) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("candor: " + e.getMessage());
            e.getCommandLine().usage(err);
            return SPEC_ERROR;
        });
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"candor " + EngineVersion.get()};
        }
    }
}
