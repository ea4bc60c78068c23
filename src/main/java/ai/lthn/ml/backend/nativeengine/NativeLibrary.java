package ai.lthn.ml.backend.nativeengine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * Loads a native engine library once per JVM: from the file named by the system property
 * {@value #PATH_PROPERTY}, else from the jar resource {@code /native/<os>-<arch>/<libname>},
 * extracted into a private per-user directory (mode 0700) under a name carrying the content's
 * SHA-256, written to a temporary file in that directory and moved into place atomically, so two
 * JVMs starting together never see a half-written file, and no file is world-writable.
 */
public final class NativeLibrary {
    /** System property naming a native library file to load instead of the packaged one. */
    public static final String PATH_PROPERTY = "lthn.native.library";

    private static final Object LOCK = new Object();
    private static String loadedFrom;
    private static String loadedName;
    /** Why a library could not be loaded, by base name (each is tried once). */
    private static final java.util.Map<String, String> FAILURES = new java.util.HashMap<>();

    private NativeLibrary() {}

    /**
     * This JVM's platform as used in resource paths, e.g. {@code linux-x86_64}, {@code macos-aarch64}.
     *
     * @return {@code <os>-<arch>} from {@code os.name} and {@code os.arch}, with {@code amd64}
     *     named {@code x86_64} and {@code arm64} named {@code aarch64}
     */
    public static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("mac") ? "macos" : os.startsWith("linux") ? "linux" : os.replace(' ', '_');
        String a = arch.equals("amd64") ? "x86_64" : arch.equals("arm64") ? "aarch64" : arch;
        return o + "-" + a;
    }

    /**
     * Loads the library {@code baseName} (e.g. {@code lthn_test}) once; later calls for it return
     * the first outcome. One native engine library per JVM: once one is loaded, another is refused
     * (the JNI natives are bound to the first).
     *
     * @param baseName the library name without platform prefix or suffix; the file named by
     *     {@link #PATH_PROPERTY}, when set, is loaded instead
     * @return null when loaded, else why not (never throws)
     */
    public static String load(String baseName) {
        synchronized (LOCK) {
            if (baseName.equals(loadedName)) return null;
            if (loadedName != null) // the natives bind to the first library: one engine per JVM
            return "native library " + baseName + " not loaded: " + loadedName + " is already loaded in this JVM";
            String failed = FAILURES.get(baseName);
            if (failed != null) return failed;
            try {
                Path file = locate(baseName);
                System.load(file.toString());
                loadedFrom = file.toString();
                loadedName = baseName;
                return null;
            } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
                String why = "native library " + baseName + " not loaded: " + e.getMessage();
                FAILURES.put(baseName, why);
                return why;
            }
        }
    }

    /**
     * Where the library was loaded from, or null.
     *
     * @return the absolute path of the loaded file, or {@code null} when nothing was loaded
     */
    public static String loadedFrom() {
        synchronized (LOCK) {
            return loadedFrom;
        }
    }

    private static Path locate(String baseName) throws IOException {
        String explicit = System.getProperty(PATH_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit).toAbsolutePath();
            if (!Files.isRegularFile(p)) throw new IOException(PATH_PROPERTY + "=" + explicit + " is not a file");
            return p;
        }
        String file = System.mapLibraryName(baseName);
        String resource = "/native/" + platform() + "/" + file;
        byte[] bytes;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null)
                throw new IOException("no " + resource + " in the class path (platform " + platform() + ")");
            bytes = in.readAllBytes();
        }
        return extract(bytes, file, privateDirectory());
    }

    static Path privateDirectory() throws IOException {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "lthn-ml-native-" + user);
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            if (posix)
                Files.createDirectory(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            else Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            // someone made it first: check it is ours and private below
        }
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS))
            throw new IOException(dir + " is not a plain directory");
        if (posix) {
            if (!Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name")))
                throw new IOException(dir + " belongs to another user");
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE))
                throw new IOException(dir + " is writable by others");
        }
        return dir;
    }

    /** Writes {@code bytes} as {@code <sha256>-<file>} in {@code dir} unless an identical file is there. */
    static Path extract(byte[] bytes, String file, Path dir) throws IOException {
        String hash = sha256(bytes);
        Path target = dir.resolve(hash.substring(0, 32) + "-" + file);
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                && sha256(Files.readAllBytes(target)).equals(hash)) return target;
        Path tmp = Files.createTempFile(dir, "extract-", ".tmp");
        try {
            Files.write(tmp, bytes);
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix"))
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r-x------"));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
