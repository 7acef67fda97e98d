package dev.eventsource.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An application instance in a JVM process of its own, started with the test's class path: its
 * output is collected line by line for waiting on and for failure messages; it can be told to
 * stop (a line {@code stop} on its standard input), killed or paused with a signal.
 *
 * <pre>{@code
 * NodeProcess node = NodeProcess.start("node-1", ClusterNode.class, url, schema, "node-1", "500", "10000");
 * node.awaitLine("placed", Duration.ofSeconds(60));
 * node.stop();
 * }</pre>
 */
public final class NodeProcess {

    final String name;
    final Process process;
    final List<String> output = new CopyOnWriteArrayList<>();

    private NodeProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    output.add(line);
                }
            } catch (IOException e) {
                output.add("(output ended: " + e + ")");
            }
        }, "output-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code main} with {@code args} in a new JVM on this test's class path. */
    public static NodeProcess start(String name, Class<?> main, String... args) throws IOException {
        return start(name, System.getProperty("java.class.path"), main, args);
    }

    /** Starts {@code main} with {@code args} in a new JVM on {@code classPath}. */
    public static NodeProcess start(String name, String classPath, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, main.getName()));
        command.addAll(List.of(args));
        return new NodeProcess(name, new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** The process, to kill or wait for. */
    public Process process() {
        return process;
    }

    /** Waits until the process printed a line starting with {@code prefix}; returns that line. */
    public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean ended = false;
        while (true) {
            for (String line : output) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            if (ended || System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not print '" + prefix + "' within " + timeout + ":\n" + tail());
            }
            ended = !process.isAlive();            // one more look after it ended: the reader may lag behind
            Thread.sleep(ended ? 200 : 50);
        }
    }

    /** Writes {@code line} to the process's standard input. */
    public void send(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " is gone:\n" + tail(), e);
        }
    }

    /** Says stop, waits for a clean exit. */
    public void stop() throws InterruptedException {
        send("stop");
        awaitExit(Duration.ofSeconds(30));
    }

    /** Waits for the process to end on its own, with status 0. */
    public void awaitExit(Duration timeout) throws InterruptedException {
        assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("%s exits:%n%s", name, tail()).isTrue();
        assertThat(process.exitValue()).as("%s exit status:%n%s", name, tail()).isZero();
    }

    /** SIGKILL: no close, no hand-over, no checkpoint. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Sends {@code signal} (STOP, CONT, ...) to the process. */
    public void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %s", signal, name).isZero();
    }

    /** The last 30 lines of output, for failure messages. */
    public String tail() {
        int from = Math.max(0, output.size() - 30);
        return "--- " + name + " ---\n" + String.join("\n", output.subList(from, output.size()));
    }
}
