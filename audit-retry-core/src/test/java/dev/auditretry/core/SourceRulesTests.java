package dev.auditretry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks rules of the library's main sources that the compiler cannot.
 */
class SourceRulesTests {

    private static final Pattern SYNCHRONIZED = Pattern.compile("\\bsynchronized\\b");

    private static final List<Path> MAIN_SOURCES = List.of(Path.of("src/main/java"),
            Path.of("../audit-retry-spring-boot-autoconfigure/src/main/java"));

    @Test
    void libraryUsesNoSynchronizedBlocks() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = MAIN_SOURCES.stream().filter(Files::isDirectory).flatMap(SourceRulesTests::walk)) {
            offenders = files.filter((file) -> file.toString().endsWith(".java"))
                    .filter(SourceRulesTests::containsSynchronized).map(Path::toString).toList();
        }

        assertThat(offenders).as("monitors pin virtual threads on Java 21 to 23; use java.util.concurrent locks")
                .isEmpty();
        assertThat(Files.isDirectory(MAIN_SOURCES.get(0))).isTrue();
    }

    @Test
    void coreImportsNoSpring() throws IOException {
        try (Stream<Path> files = walk(MAIN_SOURCES.get(0))) {
            List<String> offenders = files.filter((file) -> file.toString().endsWith(".java"))
                    .filter((file) -> read(file).contains("import org.springframework")).map(Path::toString).toList();
            assertThat(offenders).isEmpty();
        }
    }

    private static boolean containsSynchronized(Path file) {
        return read(file).lines().map(String::strip)
                .filter((line) -> !line.startsWith("*") && !line.startsWith("//") && !line.startsWith("/*"))
                .anyMatch((line) -> SYNCHRONIZED.matcher(line).find());
    }

    private static Stream<Path> walk(Path root) {
        try {
            return Files.walk(root);
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not list " + root, ex);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not read " + file, ex);
        }
    }
}
