package dev.phiguard.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A piece of a YAML file's text made of whole documents: from a line that starts a document
 * ({@code ---} alone or followed by a blank) to the next. Each piece reads, alone, as it reads in
 * its file, so a watcher can parse again only the pieces an edit changed.
 *
 * @param start the offset of the piece's first character in the text
 * @param end the offset just after its last
 * @param firstLine how many lines of the text come before it
 */
record DocumentPiece(int start, int end, int firstLine) {

    /**
     * The pieces of {@code text}, in order, or nothing when it cannot be cut safely: line breaks
     * other than LF and CRLF would make the lines counted here differ from the parser's. (A
     * directive such as {@code %TAG} ends the piece before its document, which then does not
     * parse alone: the reader reads such a file whole.)
     */
    static Optional<List<DocumentPiece>> cut(String text) {
        List<DocumentPiece> pieces = new ArrayList<>();
        int start = 0;
        int firstLine = 0;
        int line = 0;
        int length = text.length();
        for (int lineStart = 0; lineStart < length; ) {
            if (lineStart > start && startsDocument(text, lineStart)) {
                pieces.add(new DocumentPiece(start, lineStart, firstLine));
                start = lineStart;
                firstLine = line;
            }
            int next = lineStart;
            while (next < length && text.charAt(next) != '\n') {
                char c = text.charAt(next);
                if ((c == '\r' && (next + 1 == length || text.charAt(next + 1) != '\n'))
                        || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                    return Optional.empty();
                }
                next++;
            }
            line++;
            lineStart = next + 1;
        }
        if (start < length) {
            pieces.add(new DocumentPiece(start, length, firstLine));
        }
        return Optional.of(pieces);
    }

    private static boolean startsDocument(String text, int at) {
        if (!text.startsWith("---", at)) {
            return false;
        }
        if (at + 3 == text.length()) {
            return true;
        }
        char after = text.charAt(at + 3);
        return after == ' ' || after == '\t' || after == '\r' || after == '\n';
    }

    String of(String text) {
        return text.substring(start, end);
    }
}
