package dev.candor.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who runs a pipeline: {@code host:pid} of this process, recorded with each run so that a run abandoned by a killed
 * or crashed process can be told apart from another machine's live one, and named in the message that fails it.
 */
public final class Worker {
    private static final String CURRENT = describe();

    private Worker() {
    }

    /** This process, as {@code host:pid}. */
    public static String current() {
        return CURRENT;
    }

    private static String describe() {
        String id = hostName() + ":" + ProcessHandle.current().pid();
        // The column holds 200 characters; a host name is at most 253, so keep its end (the pid) intact.
        return id.length() <= 200 ? id : id.substring(id.length() - 200);
    }

    private static String hostName() {
        // /etc/hostname first: InetAddress.getLocalHost() asks DNS and can take seconds on a badly configured machine.
        Path etc = Path.of("/etc/hostname");
        try {
            if (Files.isReadable(etc)) {
                String name = Files.readString(etc, StandardCharsets.UTF_8).strip();
                if (!name.isEmpty()) {
                    return name;
                }
            }
        } catch (IOException ignored) {
            // fall through to the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
