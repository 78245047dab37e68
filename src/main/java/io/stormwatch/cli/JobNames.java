package io.stormwatch.cli;

import io.stormwatch.core.job.Jobs;
import java.util.Iterator;

/** Every job's name, as picocli's completion candidates: help texts list {@link Jobs#NAMES}, never a copy. */
final class JobNames implements Iterable<String> {

    @Override
    public Iterator<String> iterator() {
        return Jobs.NAMES.iterator();
    }
}
