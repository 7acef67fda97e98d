package dev.eventsource.tests.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The BOM lists every library artifact: each module that publishes sources and Javadoc (what marks
 * a library here) has its artifact in {@code bom/pom.xml}, and the BOM lists nothing else.
 */
class BomTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern ARTIFACT = Pattern.compile("<artifactId>(eventsource-[a-z-]+)</artifactId>");

    @Test
    void theBomListsExactlyTheLibraryArtifacts() throws IOException {
        List<String> libraries = new ArrayList<>();
        Matcher modules = MODULE.matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (modules.find()) {
            String pom = Files.readString(ROOT.resolve(modules.group(1)).resolve("pom.xml"));
            if (pom.contains("<artifactId>maven-javadoc-plugin</artifactId>")) {
                Matcher own = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>").matcher(pom);
                assertThat(own.find()).as("artifactId of module %s", modules.group(1)).isTrue();
                libraries.add(own.group(1));
            }
        }
        String bom = Files.readString(ROOT.resolve("bom/pom.xml"));
        String managed = bom.substring(bom.indexOf("<dependencyManagement>"));
        List<String> listed = new ArrayList<>();
        Matcher artifacts = ARTIFACT.matcher(managed);
        while (artifacts.find()) {
            listed.add(artifacts.group(1));
        }
        assertThat(libraries).contains("eventsource-annotations", "eventsource-processor", "eventsource-runtime",
                "eventsource-postgres", "eventsource-testing");
        assertThat(listed).containsExactlyInAnyOrderElementsOf(libraries);
    }
}
