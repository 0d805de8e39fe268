package dev.phiguard.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.phiguard.model.SourceRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads Kubernetes manifests (files, folders, standard input; multi-document YAML or JSON; List
 * kinds) into a cluster snapshot, with a diagnostic for every problem. A bad object never stops
 * the others from being read, and a YAML syntax error loses only the rest of its file.
 */
public final class ManifestReader {
    private static final int MAX_CODE_POINTS = 512 * 1024 * 1024;

    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final ClusterAssembler assembler = new ClusterAssembler(diagnostics);
    private final TreeMap<String, Integer> skippedKinds = new TreeMap<>();
    private final List<String> rejected = new ArrayList<>();
    private final List<dev.phiguard.model.Profile> profiles = new ArrayList<>();
    private final List<dev.phiguard.model.Expectations> expectations = new ArrayList<>();
    private final List<IngestResult.Input> inputs = new ArrayList<>();
    private int filesRead;
    private int objectsRead;
    /** The command-line path being read, for "a later path wins". */
    private int pathIndex;
    /** Lines of the file before the text being read, when that text is a piece of it. */
    private int lineOffset;
    /** Whether the text read had a YAML syntax error, which loses the rest of the file. */
    private boolean syntaxError;
    /**
     * Objects read and checked, held back for the assembler: a file (or a live object) is read by a
     * reader of its own, and {@link #take} then puts what it gave into the cluster being built.
     */
    private final List<FileReading.Add> held = new ArrayList<>();

    private ManifestReader() {
    }

    /** What this reader, having read one file or object alone, gave. */
    private FileReading reading() {
        return new FileReading(diagnostics, objectsRead, skippedKinds, rejected, profiles, expectations, held);
    }

    /**
     * Reads every path: a file, a folder (searched recursively for .yaml, .yml and .json files)
     * or {@code -} for {@code stdin}.
     */
    public static IngestResult read(List<String> paths, InputStream stdin) {
        return read(paths, stdin, ManifestCache.forOneRead());
    }

    /**
     * As {@link #read(List, InputStream)}, taking from {@code cache} what a file of the same name
     * and bytes gave when last read, and leaving in it what this read gave: reading the same
     * files again after one changed parses only that one.
     */
    public static IngestResult read(List<String> paths, InputStream stdin, ManifestCache cache) {
        ManifestReader reader = new ManifestReader();
        ManifestCache.Generation generation = cache.next();
        for (InputFiles.Input input : InputFiles.expand(paths, reader.diagnostics)) {
            reader.pathIndex = input.argumentIndex();
            reader.readInput(input, stdin, generation);
        }
        return reader.result();
    }

    /**
     * Reads a live cluster's objects, then the paths on top of them, as {@code kubectl apply} of
     * the paths would change it: an object of a path replaces the live one of the same kind,
     * namespace and name. Live objects take the same conversion and checks as manifests, so the
     * answer is the one their YAML would give; they point at {@code cluster:CONTEXT/Kind/ns/name}.
     */
    public static IngestResult read(ClusterReader.Snapshot snapshot, List<String> paths, InputStream stdin) {
        return read(snapshot, paths, stdin, ManifestCache.forOneRead());
    }

    /**
     * As {@link #read(ClusterReader.Snapshot, List, InputStream)}, taking from {@code cache} what an
     * object of the same kind, name, uid and resourceVersion gave when last read (the API server
     * gives an object a new resourceVersion at every change), and what a file of the same name and
     * bytes gave: reading a watched cluster again converts only what changed.
     */
    public static IngestResult read(ClusterReader.Snapshot snapshot, List<String> paths, InputStream stdin,
            ManifestCache cache) {
        ManifestReader reader = new ManifestReader();
        reader.diagnostics.addAll(snapshot.diagnostics());
        ManifestCache.Generation generation = cache.next();
        java.security.MessageDigest digest = sha256();
        for (ClusterReader.LiveObject live : snapshot.objects()) {
            ObjectMetaView meta = new ObjectMetaView(live.object());
            SourceRef source = snapshot.sourceOf(live.kind(), meta.namespace(), meta.name());
            String version = live.object().getMetadata().getResourceVersion();
            // without a resourceVersion nothing tells a changed object from the same one: read it every time
            String key = version == null ? null : String.join("\u0000", "live", live.kind(), live.apiVersion(),
                    source.toString(), String.valueOf(live.object().getMetadata().getUid()), version);
            ManifestCache.Entry known = key == null ? null : generation.get(key, "");
            if (known == null) {
                ObjectNode json = LiveJson.MAPPER.valueToTree(live.object());
                json.put("kind", live.kind());
                json.put("apiVersion", live.apiVersion());
                ManifestReader alone = new ManifestReader();
                alone.readObject(json, live.kind(), live.apiVersion(), Locator.fixed(source), List.of());
                known = new ManifestCache.Entry(alone.reading(),
                        sha256().digest(json.toString().getBytes(StandardCharsets.UTF_8)), Map.of());
                if (key != null) {
                    generation.put(key, "", known);
                }
            }
            // the snapshot's digest is over each object's: a watcher keeps 32 bytes an object, not its JSON
            digest.update(known.digest());
            reader.take(known.reading());
        }
        reader.inputs.add(new IngestResult.Input(snapshot.label(), java.util.HexFormat.of().formatHex(digest.digest())));
        for (InputFiles.Input input : InputFiles.expand(paths, reader.diagnostics)) {
            reader.pathIndex = input.argumentIndex() + 1;
            reader.readInput(input, stdin, generation);
        }
        IngestResult result = reader.result();
        return new IngestResult(result.cluster().withPlatform(snapshot.platform()), result.diagnostics(),
                result.filesRead(), result.objectsRead(), result.skippedKinds(), result.rejected(), result.profiles(),
                result.inputs(), result.expectations());
    }

    /** A live object's namespace (empty for cluster-scoped kinds) and name. */
    private record ObjectMetaView(String namespace, String name) {
        ObjectMetaView(HasMetadata object) {
            this(object.getMetadata().getNamespace() == null ? "" : object.getMetadata().getNamespace(),
                    object.getMetadata().getName());
        }
    }

    /** fabric8's own mapper writes its model as the API server's JSON; made on first live read only. */
    private static final class LiveJson {
        static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
                io.fabric8.kubernetes.client.utils.Serialization.jsonMapper();
    }

    /** Reads manifests from text, as if from a file of that name. */
    public static IngestResult readString(String displayName, String text) {
        ManifestReader reader = new ManifestReader();
        reader.filesRead++;
        reader.take(readFile(displayName, text));
        return reader.result();
    }

    private IngestResult result() {
        return new IngestResult(assembler.build(), diagnostics, filesRead, objectsRead, skippedKinds, rejected,
                profiles, inputs, expectations);
    }

    private void readInput(InputFiles.Input input, InputStream stdin, ManifestCache.Generation cache) {
        byte[] bytes;
        try {
            bytes = input.isStdin() ? readAll(stdin) : Files.readAllBytes(input.path());
        } catch (IOException e) {
            diagnostics.add(Diagnostic.error(SourceRef.of(input.displayName()), "cannot read: " + e.getMessage()));
            return;
        }
        filesRead++;
        String sha256 = cache.sha256(input.displayName(), bytes, ManifestReader::sha256);
        inputs.add(new IngestResult.Input(input.displayName(), sha256));
        // a file's entry holds its documents' readings: taken again, it keeps them for when the file changes later
        ManifestCache.Entry known = cache.get(input.displayName(), sha256);
        if (known == null) {
            known = readFile(input.displayName(), bytes, cache);
            cache.put(input.displayName(), sha256, known);
        }
        take(known.reading());
    }

    private static ManifestCache.Entry readFile(String displayName, byte[] bytes, ManifestCache.Generation cache) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new ManifestCache.Entry(new FileReading(List.of(Diagnostic.error(SourceRef.of(displayName),
                    "not UTF-8 text; Kubernetes manifests must be UTF-8")), 0, new TreeMap<>(), List.of(), List.of(),
                    List.of(), List.of()));
        }
        return cache.remembersDocuments() ? readByDocument(displayName, text, cache)
                : new ManifestCache.Entry(readFile(displayName, text));
    }

    /**
     * Reads a file piece by piece ({@link DocumentPiece}), taking from {@code cache} the pieces
     * read before with the same text on the same lines. What it gives is what reading the file
     * whole gives; a piece with a syntax error has the file read whole, for the error as it is then.
     */
    private static ManifestCache.Entry readByDocument(String displayName, String text,
            ManifestCache.Generation cache) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        Optional<List<DocumentPiece>> pieces = DocumentPiece.cut(body);
        if (pieces.isEmpty()) {
            return new ManifestCache.Entry(readFile(displayName, text));
        }
        Map<String, FileReading> before = cache.documentsBefore(displayName);
        List<FileReading> readings = new ArrayList<>(pieces.get().size());
        Map<String, FileReading> documents = new HashMap<>();
        java.security.MessageDigest digest = sha256();
        for (DocumentPiece piece : pieces.get()) {
            String pieceText = piece.of(body);
            String key = piece.firstLine() + "\u0000"
                    + java.util.HexFormat.of().formatHex(digest.digest(pieceText.getBytes(StandardCharsets.UTF_8)));
            FileReading known = documents.getOrDefault(key, before.get(key));
            if (known == null) {
                ManifestReader alone = new ManifestReader();
                alone.lineOffset = piece.firstLine();
                alone.readText(displayName, pieceText);
                if (alone.syntaxError) {
                    return new ManifestCache.Entry(readFile(displayName, text));
                }
                known = alone.reading();
            }
            readings.add(known);
            documents.put(key, known);
        }
        return new ManifestCache.Entry(FileReading.inOrder(readings), null,
                java.util.Collections.unmodifiableMap(documents));
    }

    /** Reads one file's text alone: what it gives does not depend on the other files. */
    private static FileReading readFile(String displayName, String text) {
        ManifestReader alone = new ManifestReader();
        alone.readText(displayName, text);
        return alone.reading();
    }

    /** Adds what one file gave, as if it had been read here, after the files before it. */
    private void take(FileReading reading) {
        int firstOfFile = diagnostics.size();
        diagnostics.addAll(reading.diagnostics());
        objectsRead += reading.objectsRead();
        reading.skippedKinds().forEach((kind, count) -> skippedKinds.merge(kind, count, Integer::sum));
        profiles.addAll(reading.profiles());
        expectations.addAll(reading.expectations());
        int rejectedTaken = 0;
        for (FileReading.Add add : reading.adds()) {
            // the file's rejections before this object come before a rejection of it, as when read in one go
            for (; rejectedTaken < add.rejectedBefore(); rejectedTaken++) {
                rejected.add(reading.rejected().get(rejectedTaken));
            }
            ObjectContext named = new ObjectContext(add.kind(), add.namespace(), add.name(), null, diagnostics);
            if (!assembler.add(add.key(), named, add.object(), add.where(), pathIndex)) {
                rejected.add(named.describe());
            }
        }
        for (; rejectedTaken < reading.rejected().size(); rejectedTaken++) {
            rejected.add(reading.rejected().get(rejectedTaken));
        }
        // an object defined twice is told where it is among the file's problems, top to bottom
        sortByPosition(diagnostics.subList(firstOfFile, diagnostics.size()));
    }

    private static String sha256(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static byte[] readAll(InputStream stream) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        stream.transferTo(buffer);
        return buffer.toByteArray();
    }

    private void readText(String file, String text) {
        int firstOfFile = diagnostics.size();
        readDocuments(file, text.startsWith("\uFEFF") ? text.substring(1) : text);
        // checks run object by object and field by field; a file's problems read best top to bottom
        sortByPosition(diagnostics.subList(firstOfFile, diagnostics.size()));
    }

    static void sortByPosition(List<Diagnostic> diagnostics) {
        diagnostics.sort(Comparator.comparingInt((Diagnostic diagnostic) -> diagnostic.location().line())
                .thenComparingInt(diagnostic -> diagnostic.location().column()));
    }

    private void readDocuments(String file, String text) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file)
                .setCodePointLimit(MAX_CODE_POINTS)
                .setSchema(new KubectlSchema())
                .build();
        Iterator<Node> documents = new Compose(settings).composeAllFromString(text).iterator();
        while (true) {
            Node root;
            try {
                if (!documents.hasNext()) {
                    return;
                }
                root = documents.next();
            } catch (MarkedYamlEngineException e) {
                syntaxError = true;
                diagnostics.add(Diagnostic.error(position(file, e), "YAML syntax error: " + describe(e)
                        + "; the rest of this file is skipped"));
                return;
            } catch (YamlEngineException e) {
                syntaxError = true;
                diagnostics.add(Diagnostic.error(SourceRef.of(file), "YAML error: " + e.getMessage()
                        + "; the rest of this file is skipped"));
                return;
            }
            if (root == null) {
                continue;
            }
            YamlDocument document;
            try {
                document = YamlDocument.of(file, lineOffset, root);
            } catch (YamlDocument.RecursiveDocumentException e) {
                diagnostics.add(Diagnostic.error(e.where, e.getMessage() + "; this document is skipped"));
                continue;
            }
            readDocument(document);
        }
    }

    /**
     * Where a syntax error is: at the problem, except when the problem is the end of the file,
     * where the construct left open (a quote, a bracket) is the place to look.
     */
    private static SourceRef position(String file, MarkedYamlEngineException e) {
        boolean atEnd = e.getProblem() != null && e.getProblem().contains("end of stream");
        Optional<Mark> mark = atEnd ? e.getContextMark().or(e::getProblemMark) : e.getProblemMark().or(e::getContextMark);
        return mark.map(m -> new SourceRef(file, m.getLine() + 1, m.getColumn() + 1)).orElse(SourceRef.of(file));
    }

    private static String describe(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = e.getContext() == null ? "" : e.getContext();
        return context.isEmpty() ? problem : problem + " (" + context + ")";
    }

    private void readDocument(YamlDocument document) {
        JsonNode content = document.content();
        if (content.isNull() || content.isMissingNode()) {
            return;
        }
        if (!(content instanceof ObjectNode object)) {
            diagnostics.add(Diagnostic.warning(document.start(),
                    "not a Kubernetes object (the document is not a mapping); skipped"));
            return;
        }
        String kind = text(object, "kind");
        if (kind.isEmpty()) {
            diagnostics.add(Diagnostic.warning(document.start(), "not a Kubernetes object (no kind); skipped"));
            return;
        }
        if (kind.endsWith("List") && object.has("items")) {
            readList(object, kind, document);
            return;
        }
        readObject(object, kind, text(object, "apiVersion"), document, document.problems());
    }

    private void readList(ObjectNode list, String listKind, YamlDocument document) {
        JsonNode items = list.get("items");
        FieldPath itemsPath = FieldPath.of("items");
        for (YamlDocument.Problem problem : document.problems()) {
            if (!problem.path().startsWith(itemsPath) || problem.path().equals(itemsPath)) {
                diagnostics.add(Diagnostic.error(problem.where(), listKind + ": " + problem.message()));
            }
        }
        if (!items.isArray()) {
            diagnostics.add(Diagnostic.error(document.locate(itemsPath), listKind + ": items must be a list"));
            return;
        }
        // typed lists (PodList) may leave kind and apiVersion out of their items
        String impliedKind = listKind.equals("List") ? "" : listKind.substring(0, listKind.length() - "List".length());
        String impliedVersion = text(list, "apiVersion");
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            FieldPath itemPath = itemsPath.index(i);
            Locator locator = document.under(itemPath);
            if (!(item instanceof ObjectNode object)) {
                diagnostics.add(Diagnostic.warning(locator.locate(FieldPath.root()),
                        listKind + ": items[" + i + "] is not an object; skipped"));
                continue;
            }
            String kind = text(object, "kind").isEmpty() ? impliedKind : text(object, "kind");
            String apiVersion = text(object, "apiVersion").isEmpty() ? impliedVersion : text(object, "apiVersion");
            if (kind.isEmpty()) {
                diagnostics.add(Diagnostic.warning(locator.locate(FieldPath.root()),
                        listKind + ": items[" + i + "] has no kind; skipped"));
                continue;
            }
            List<YamlDocument.Problem> itemProblems = new ArrayList<>();
            for (YamlDocument.Problem problem : document.problems()) {
                if (problem.path().startsWith(itemPath)) {
                    itemProblems.add(new YamlDocument.Problem(problem.path().relativeTo(itemPath), problem.where(),
                            problem.message()));
                }
            }
            readObject(object, kind, apiVersion, locator, itemProblems);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : "";
    }

    private void readObject(ObjectNode json, String kind, String declaredVersion, Locator locator,
            List<YamlDocument.Problem> problems) {
        objectsRead++;
        // Namespaces and phiguard's own configuration live in no namespace
        boolean clusterScoped = kind.equals("Namespace") || declaredVersion.startsWith(ProfileParser.API_GROUP + "/");
        JsonNode metadata = json.path("metadata");
        String name = text(metadata, "name");
        String namespace = clusterScoped ? "" : text(metadata, "namespace").isEmpty()
                ? "default" : text(metadata, "namespace");
        ObjectContext context = new ObjectContext(kind, namespace, name.isEmpty() ? "(unnamed)" : name, locator,
                diagnostics);
        if (declaredVersion.startsWith(ProfileParser.API_GROUP + "/")) {
            readPhiguardObject(json, kind, context);
            return;
        }
        String apiVersion = declaredVersion;
        if (apiVersion.isEmpty() && ObjectDecoder.isAnalysedKind(kind)) {
            apiVersion = ObjectDecoder.DEFAULT_API_VERSIONS.get(kind);
            context.warning(FieldPath.root(), "apiVersion is missing; read as " + apiVersion, null);
        }
        Optional<Class<? extends HasMetadata>> type = ObjectDecoder.modelClass(kind, apiVersion);
        if (type.isEmpty()) {
            // a kind phiguard knows under another API group (Calico's NetworkPolicy) is named with its group
            skippedKinds.merge(ObjectDecoder.isAnalysedKind(kind) ? kind + " (" + apiVersion + ")" : kind, 1,
                    Integer::sum);
            return;
        }
        for (YamlDocument.Problem problem : problems) {
            context.errorAt(problem.where(), problem.path(), problem.message(), null);
        }
        if (name.isEmpty() && !context.failed()) {
            context.errorAt(locator.locate(FieldPath.of("metadata")), FieldPath.root(), "metadata.name is required",
                    null);
        }
        Optional<? extends HasMetadata> object = context.failed()
                ? Optional.empty() : ObjectDecoder.decode(json, type.get(), context);
        Optional<Object> converted = object.flatMap(decoded -> convert(decoded, json, context));
        if (context.failed() || converted.isEmpty()) {
            rejected.add(context.describe());
            return;
        }
        held.add(new FileReading.Add(context.kind(), context.namespace(), context.name(), converted.get(),
                context.locate(FieldPath.root()), rejected.size()));
    }

    /** phiguard's own configuration, which may sit among the manifests it reads. */
    private void readPhiguardObject(ObjectNode json, String kind, ObjectContext context) {
        if (kind.equals(ExpectationsParser.KIND)) {
            Optional<dev.phiguard.model.Expectations> parsed = ExpectationsParser.parse(json, context);
            if (parsed.isPresent()) {
                expectations.add(parsed.get());
            } else {
                rejected.add(context.describe());
            }
            return;
        }
        if (!kind.equals(ProfileParser.KIND)) {
            context.warning(FieldPath.of("kind"), "unknown phiguard kind, expected " + ProfileParser.KIND + " or "
                    + ExpectationsParser.KIND + "; skipped", kind);
            return;
        }
        Optional<dev.phiguard.model.Profile> profile = ProfileParser.parse(json, context);
        if (profile.isPresent()) {
            profiles.add(profile.get());
        } else {
            rejected.add(context.describe());
        }
    }

    private static Optional<Object> convert(HasMetadata object, JsonNode json, ObjectContext context) {
        if (object instanceof io.fabric8.kubernetes.api.model.Namespace namespace) {
            return ObjectConverter.namespace(namespace, context).map(Object.class::cast);
        }
        if (object instanceof io.fabric8.kubernetes.api.model.Service service) {
            return ObjectConverter.service(service, context).map(Object.class::cast);
        }
        if (object instanceof io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy policy) {
            return ObjectConverter.networkPolicy(policy, context).map(Object.class::cast);
        }
        if (object instanceof Pod pod) {
            return WorkloadConverter.pod(pod, json, context).map(Object.class::cast);
        }
        return WorkloadConverter.controller(object, context).map(Object.class::cast);
    }
}
