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
     * The pieces of {@code text}, in order, or nothing when it cannot be cut safely: a CR not
     * followed by LF, a line break to the parser, would make the lines counted here differ from
     * its. (A directive such as {@code %TAG} ends the piece before its document, which then does
     * not parse alone: the reader reads such a file whole.)
     */
    static Optional<List<DocumentPiece>> cut(String text) {
        // a lone CR anywhere; NEL, LS and PS break no line in YAML 1.2, and the parser counts none
        for (int cr = text.indexOf('\r'); cr >= 0; cr = text.indexOf('\r', cr + 1)) {
            if (cr + 1 == text.length() || text.charAt(cr + 1) != '\n') {
                return Optional.empty();
            }
        }
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
            int next = text.indexOf('\n', lineStart);
            if (next < 0) {
                next = length;
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
