package dev.choreo.localsuite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start one Java program in its own JVM: JVM options, what to run (a jar or a main class), program args.
 * Always the {@code java} of the JVM running the launcher, so a JDK 17+ on the PATH is the only prerequisite.
 */
public record JavaCommand(List<String> jvmOptions, List<String> target, List<String> args) {

    public JavaCommand {
        jvmOptions = List.copyOf(jvmOptions);
        target = List.copyOf(target);
        args = List.copyOf(args);
    }

    public static JavaCommand jar(Path jar) {
        return new JavaCommand(List.of(), List.of("-jar", jar.toString()), List.of());
    }

    public static JavaCommand mainClass(String classpath, String mainClass) {
        return new JavaCommand(List.of(), List.of("-cp", classpath, mainClass), List.of());
    }

    public JavaCommand withJvmOptions(List<String> options) {
        return new JavaCommand(options, target, args);
    }

    /**
     * Appends program arguments. Spring Boot does not let a repeated {@code --key=value} win: it joins the values
     * with commas, so replace an argument rather than adding a second one with the same key.
     */
    public JavaCommand withArgs(List<String> more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(more);
        return new JavaCommand(jvmOptions, target, all);
    }

    public List<String> commandLine() {
        List<String> line = new ArrayList<>();
        line.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        line.addAll(jvmOptions);
        line.addAll(target);
        line.addAll(args);
        return line;
    }
}
