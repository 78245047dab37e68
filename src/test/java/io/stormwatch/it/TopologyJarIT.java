package io.stormwatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.cli.LocalStormCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar is what {@code storm jar} and {@code Flux --remote} need beside a Storm installation: their
 * main classes are in it, and no class of Storm's own worker classpath ({@code lib-worker/}: storm-client and
 * its dependencies) is — two copies of a class on a worker, of different versions, break in ways no local run
 * shows. Storm's connectors that a Storm installation does not bring (Flux, storm-redis, storm-kafka-client)
 * are inside. The other half, that nothing the topology needs is missing on a worker, is proven by
 * {@link ClusterIT} running on a real cluster's worker classpath.
 */
class TopologyJarIT {

    /** Annotation-only classes that some dependencies of the jar and of Storm's client both bring: no code. */
    private static final Set<String> SHARED_ANNOTATIONS = Set.of("org/jspecify/annotations/");

    @Test
    void theJarHoldsTheEntryPointsAndNoClassOfStormsWorkerClasspath() throws Exception {
        Path jar = topologyJar();
        Set<String> jarClasses = classes(jar);
        assertThat(jarClasses).contains(LocalStormCluster.SUBMIT_MAIN.replace('.', '/') + ".class",
                LocalStormCluster.FLUX_MAIN.replace('.', '/') + ".class");

        Set<String> workerClasses = new TreeSet<>();
        for (String entry : LocalStormCluster.workerClasspath(Path.of("").toAbsolutePath()).split(":")) {
            workerClasses.addAll(classes(Path.of(entry)));
        }
        assertThat(workerClasses).as("storm-client is on the worker classpath").contains("org/apache/storm/StormSubmitter.class");

        Set<String> both = new TreeSet<>(jarClasses);
        both.retainAll(workerClasses);
        both.removeIf(name -> name.startsWith("META-INF/versions/")
                || SHARED_ANNOTATIONS.stream().anyMatch(name::startsWith));
        assertThat(both).as("classes both in the jar and on Storm's worker classpath").isEmpty();

        assertThat(jarClasses).filteredOn(name -> name.startsWith("org/apache/storm/"))
                .as("Storm classes in the jar: only the connectors a Storm installation lacks")
                .allMatch(name -> name.startsWith("org/apache/storm/flux/") || name.startsWith("org/apache/storm/redis/")
                        || name.startsWith("org/apache/storm/kafka/"));
    }

    private static Path topologyJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("stormwatch-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/stormwatch-*.jar: run after package"));
        }
    }

    private static Set<String> classes(Path jar) throws IOException {
        Set<String> classes = new TreeSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            file.stream().map(JarEntry::getName).filter(name -> name.endsWith(".class")).forEach(classes::add);
        }
        return classes;
    }
}
