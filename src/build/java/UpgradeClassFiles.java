/*
 * SPDX-License-Identifier: EUPL-1.2
 *
 * Build tool, run by the pom after the shade plugin (as a source-file program: java -cp asm.jar
 * src/build/java/UpgradeClassFiles.java JAR PREFIX). Not part of any artifact.
 */

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites the classes under one package prefix of a jar that were compiled for Java 5 (class
 * file version 49) as version 52 (Java 8), with the stack map frames that version requires.
 *
 * <p>Why: picocli ships as Java 5 classes. The JVM's class-data sharing (the CDS archive of JDK
 * 17, the AOT cache of JDK 25) leaves out classes older than version 50, and it verifies them at
 * every start with the old type-inferring verifier: on this project's machines that was ~75 ms of
 * each {@code ml} start, a third of it. Upgraded, they are archived and verified once, when the
 * launcher writes its archive. The bytecode itself is unchanged (ASM recomputes the frames; a
 * class that uses {@code jsr}/{@code ret}, which version 50 and later forbid, fails the build).
 *
 * <p>Usage: {@code UpgradeClassFiles JAR PREFIX}, e.g. {@code target/ml-cli.jar picocli/}.
 * Prints how many classes it rewrote (none when they are already version 50 or later: a jar
 * upgraded before, or a picocli release built for a newer Java); exits 1 when the prefix matches
 * no class at all (a misconfigured build).
 */
public final class UpgradeClassFiles {
    private static final int TARGET = Opcodes.V1_8;

    private UpgradeClassFiles() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: UpgradeClassFiles JAR PREFIX");
            System.exit(2);
        }
        Path jar = Path.of(args[0]).toAbsolutePath();
        String prefix = args[1];
        Map<String, byte[]> upgraded = new LinkedHashMap<>();
        int matched = 0;
        // The jar's own classes resolve the common superclasses ASM asks for while computing frames.
        try (ZipFile zip = new ZipFile(jar.toFile());
                URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                String name = entry.getName();
                if (!name.startsWith(prefix) || !name.endsWith(".class")) continue;
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                matched++;
                if (majorVersion(bytes) >= 50) continue;
                upgraded.put(name, upgrade(bytes, classes));
            }
        }
        if (matched == 0) {
            System.err.println("UpgradeClassFiles: no class under " + prefix + " in " + jar);
            System.exit(1);
        }
        if (upgraded.isEmpty()) {
            System.out.println("UpgradeClassFiles: the " + matched + " classes under " + prefix + " are version 50 or later");
            return;
        }
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            upgraded.forEach((name, bytes) -> {
                try {
                    Files.write(fs.getPath(name), bytes);
                } catch (IOException e) {
                    throw new UncheckedIOException(name, e);
                }
            });
        }
        System.out.println("UpgradeClassFiles: " + upgraded.size() + " classes under " + prefix + " now class file version "
                + TARGET + " in " + jar.getFileName());
    }

    private static int majorVersion(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    private static byte[] upgrade(byte[] classFile, ClassLoader classes) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected ClassLoader getClassLoader() {
                return classes;
            }
        };
        ClassVisitor version = new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(
                    int v, int access, String name, String signature, String superName, String[] interfaces) {
                super.visit(TARGET, access, name, signature, superName, interfaces);
            }
        };
        new ClassReader(classFile).accept(version, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }
}
