package dev.choreo.localsuite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The one-class Java agent jar that runs {@link ParentWatch} inside a service JVM, and the JVM options that load it.
 * Written once per launcher JVM into a temporary file, from the class bytes on our own classpath, so it works
 * whether the launcher runs from {@code target/classes}, a plain jar or the load generator's executable jar.
 */
public final class ParentWatchAgent {

    private static Path jar;

    private ParentWatchAgent() {
    }

    /** {@code -javaagent:<jar>} and {@code -Dchoreo.parent-pid=<this JVM's pid>}. */
    public static List<String> jvmOptions() {
        return List.of("-javaagent:" + jar(), "-D" + ParentWatch.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
    }

    static synchronized Path jar() {
        if (jar != null && Files.isRegularFile(jar)) {
            return jar;
        }
        String entry = ParentWatch.class.getName().replace('.', '/') + ".class";
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), ParentWatch.class.getName());
        try {
            Path file = Files.createTempFile("choreo-parent-watch-", ".jar");
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file);
                 JarOutputStream jarOut = new JarOutputStream(out, manifest);
                 InputStream classBytes = ParentWatch.class.getClassLoader().getResourceAsStream(entry)) {
                if (classBytes == null) {
                    throw new IOException("no " + entry + " on the classpath");
                }
                jarOut.putNextEntry(new JarEntry(entry));
                classBytes.transferTo(jarOut);
                jarOut.closeEntry();
            }
            jar = file;
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the parent-watch agent jar", e);
        }
    }
}
