package dev.phiguard.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Expands the paths a user names into the manifest files to read, in a stable order. */
final class InputFiles {
    static final String STDIN = "-";

    private InputFiles() {
    }

    /**
     * One input: a file, or standard input when {@code path} is null, and which command-line
     * argument named it.
     */
    record Input(String displayName, Path path, int argumentIndex) {
        boolean isStdin() {
            return path == null;
        }
    }

    /**
     * Files are taken as named, whatever their extension; folders are searched recursively for
     * {@code .yaml}, {@code .yml} and {@code .json} files, skipping hidden folders such as
     * {@code .git}. Problems (a missing path) are added to {@code diagnostics}.
     */
    static List<Input> expand(List<String> arguments, List<Diagnostic> diagnostics) {
        List<Input> inputs = new ArrayList<>();
        // a file named twice, or inside a folder also named, is read once
        Set<Path> seen = new HashSet<>();
        for (int index = 0; index < arguments.size(); index++) {
            String argument = arguments.get(index);
            if (argument.equals(STDIN)) {
                inputs.add(new Input("<stdin>", null, index));
                continue;
            }
            Path path = Path.of(argument);
            if (Files.isRegularFile(path)) {
                if (seen.add(realPath(path))) {
                    inputs.add(new Input(argument, path, index));
                }
            } else if (Files.isDirectory(path)) {
                List<Input> found = walk(argument, path, index, diagnostics);
                if (found.isEmpty()) {
                    diagnostics.add(Diagnostic.warning(dev.phiguard.model.SourceRef.of(argument),
                            "no .yaml, .yml or .json files in this folder"));
                }
                for (Input input : found) {
                    if (seen.add(realPath(input.path()))) {
                        inputs.add(input);
                    }
                }
            } else {
                diagnostics.add(Diagnostic.error(dev.phiguard.model.SourceRef.of(argument),
                        Files.exists(path) ? "not a regular file or folder" : "no such file or folder"));
            }
        }
        return inputs;
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    private static List<Input> walk(String argument, Path root, int index, List<Diagnostic> diagnostics) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> stream = Files.walk(root)) {
            stream.filter(Files::isRegularFile)
                    .filter(file -> isManifest(file) && !inHiddenFolder(root, file))
                    .forEach(files::add);
        } catch (IOException | java.io.UncheckedIOException e) {
            diagnostics.add(Diagnostic.error(dev.phiguard.model.SourceRef.of(argument),
                    "cannot list folder: " + e.getMessage()));
        }
        files.sort(null);
        List<Input> inputs = new ArrayList<>();
        for (Path file : files) {
            Path relative = root.relativize(file);
            String display = argument.endsWith("/") ? argument + relative : argument + "/" + relative;
            inputs.add(new Input(display.replace('\\', '/'), file, index));
        }
        return inputs;
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private static boolean inHiddenFolder(Path root, Path file) {
        Path relative = root.relativize(file);
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            if (relative.getName(i).toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
