package org.lockstepdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * docs/ARCHITECTURE.md's module table says which LockstepDB modules each module depends on; the poms decide it.
 * This keeps the two equal: for every module of the reactor, the LockstepDB modules named in the table's "depends
 * on" column are exactly its compile- and runtime-scope dependencies on other LockstepDB modules.
 */
class ModuleGraphDocTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>");
    private static final Pattern SCOPE = Pattern.compile("<scope>([^<]+)</scope>");

    @Test
    void architectureTableNamesEachModulesDependencies() throws IOException {
        List<String> modules = matches(MODULE, Files.readString(ROOT.resolve("pom.xml")));
        assertThat(modules).as("reactor modules").contains("protocol", "storage", "db-server", "cli");
        Map<String, String> moduleOfArtifact = new LinkedHashMap<>();
        for (String module : modules) {
            moduleOfArtifact.put(ownArtifactId(pom(module)), module);
        }
        Map<String, String> table = dependsOnColumn(Files.readString(ROOT.resolve("docs/ARCHITECTURE.md")));
        for (String module : modules) {
            Set<String> fromPom = new TreeSet<>();
            for (String dependency : matches(DEPENDENCY, pom(module))) {
                String artifact = first(ARTIFACT, dependency);
                String scope = first(SCOPE, dependency);
                if (moduleOfArtifact.containsKey(artifact) && (scope == null || scope.equals("compile")
                        || scope.equals("runtime"))) {
                    fromPom.add(moduleOfArtifact.get(artifact));
                }
            }
            assertThat(table).as("ARCHITECTURE.md has a table row for module %s", module).containsKey(module);
            Set<String> fromDoc = new TreeSet<>();
            for (String named : table.get(module).split("[,()]")) {
                String word = named.strip().split("\\s+")[0];
                if (modules.contains(word)) {
                    fromDoc.add(word);
                }
            }
            assertThat(fromDoc).as("LockstepDB modules that ARCHITECTURE.md says %s depends on (pom: %s)", module,
                    fromPom).isEqualTo(fromPom);
        }
    }

    private static String pom(String module) throws IOException {
        return Files.readString(ROOT.resolve(module).resolve("pom.xml"));
    }

    /** The module's own artifactId: the first one after its {@code <parent>} element. */
    private static String ownArtifactId(String pom) {
        return first(ARTIFACT, pom.substring(pom.indexOf("</parent>")));
    }

    /** Module name (first column, in backquotes) to the text of the last column of the module table. */
    private static Map<String, String> dependsOnColumn(String doc) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : doc.split("\n")) {
            String[] cells = line.split("\\|");
            if (line.startsWith("| `") && cells.length >= 5) {
                rows.put(cells[1].strip().replace("`", ""), cells[cells.length - 1].strip());
            }
        }
        return rows;
    }

    private static List<String> matches(Pattern p, String text) {
        Matcher m = p.matcher(text);
        List<String> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : null;
    }
}
