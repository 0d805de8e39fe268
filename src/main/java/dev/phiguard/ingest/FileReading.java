package dev.phiguard.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What reading one file gave on its own: its problems, what it skipped and rejected, and the
 * objects it holds, not yet checked against the other files' (an object defined twice is found
 * when the files are put together). Immutable, so a file's reading can be kept and taken again.
 */
record FileReading(List<Diagnostic> diagnostics, int objectsRead, SortedMap<String, Integer> skippedKinds,
        List<String> rejected, List<dev.phiguard.model.Profile> profiles,
        List<dev.phiguard.model.Expectations> expectations, List<Add> adds) {

    FileReading {
        diagnostics = List.copyOf(diagnostics);
        skippedKinds = Collections.unmodifiableSortedMap(new TreeMap<>(skippedKinds));
        rejected = List.copyOf(rejected);
        profiles = List.copyOf(profiles);
        expectations = List.copyOf(expectations);
        adds = List.copyOf(adds);
    }

    /**
     * What the pieces of a file, read alone, give together: as if the file had been read whole,
     * its problems top to bottom.
     */
    static FileReading inOrder(List<FileReading> pieces) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        int objectsRead = 0;
        SortedMap<String, Integer> skippedKinds = new TreeMap<>();
        List<String> rejected = new ArrayList<>();
        List<dev.phiguard.model.Profile> profiles = new ArrayList<>();
        List<dev.phiguard.model.Expectations> expectations = new ArrayList<>();
        List<Add> adds = new ArrayList<>();
        for (FileReading piece : pieces) {
            diagnostics.addAll(piece.diagnostics);
            objectsRead += piece.objectsRead;
            piece.skippedKinds.forEach((kind, count) -> skippedKinds.merge(kind, count, Integer::sum));
            for (Add add : piece.adds) {
                adds.add(rejected.isEmpty() ? add : new Add(add.kind, add.namespace, add.name, add.key, add.object,
                        add.where, rejected.size() + add.rejectedBefore));
            }
            rejected.addAll(piece.rejected);
            profiles.addAll(piece.profiles);
            expectations.addAll(piece.expectations);
        }
        // a problem without a line sorts first in a file read whole, wherever its document is
        ManifestReader.sortByPosition(diagnostics);
        return new FileReading(diagnostics, objectsRead, skippedKinds, rejected, profiles, expectations, adds);
    }

    /**
     * An object to put in the cluster, converted and checked on its own. Only its name is kept of
     * how it was read: the parsed document behind it is let go.
     *
     * @param key what tells it apart from other objects in the cluster ({@link ClusterAssembler#key}),
     *     made once: a file read again unchanged adds its objects under the same strings
     * @param rejectedBefore how many of the file's rejected objects came before it
     */
    record Add(String kind, String namespace, String name, String key, Object object,
            dev.phiguard.model.SourceRef where, int rejectedBefore) {

        Add(String kind, String namespace, String name, Object object, dev.phiguard.model.SourceRef where,
                int rejectedBefore) {
            this(kind, namespace, name, ClusterAssembler.key(kind, namespace, name), object, where, rejectedBefore);
        }
    }
}
