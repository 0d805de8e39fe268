package dev.phiguard.report;

import dev.phiguard.analysis.AssertionResult;
import dev.phiguard.analysis.ExpectationsResult;
import java.io.StringWriter;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The results of {@code phiguard test} as JUnit XML (the Ant/Surefire schema CI systems read):
 * one test suite per Expectations document, one test case per assertion. A failure carries the
 * pairs that break the assertion and the explanation of the first few; an assertion that cannot
 * be evaluated is an error; a passing one says in {@code system-out} what was checked.
 */
public final class ExpectationsJunitFormatter {

    public String format(ExpectationsResult result) {
        StringWriter text = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
            xml.writeStartDocument("UTF-8", "1.0");
            newline(xml, 0);
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", "phiguard test");
            counts(xml, result.results().size(), result.count(AssertionResult.Status.FAILED),
                    result.count(AssertionResult.Status.ERROR));
            for (ExpectationsResult.SuiteResult suite : result.suites()) {
                newline(xml, 1);
                xml.writeStartElement("testsuite");
                xml.writeAttribute("name", clean("phiguard.test." + suite.suite().name()));
                counts(xml, suite.results().size(), suite.count(AssertionResult.Status.FAILED),
                        suite.count(AssertionResult.Status.ERROR));
                xml.writeAttribute("file", clean(suite.suite().source().file()));
                for (AssertionResult assertion : suite.results()) {
                    testCase(xml, suite, assertion);
                }
                newline(xml, 1);
                xml.writeEndElement();
            }
            newline(xml, 0);
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Writing XML to a string cannot fail", e);
        }
        return text + "\n";
    }

    private static void counts(XMLStreamWriter xml, long tests, long failures, long errors)
            throws XMLStreamException {
        xml.writeAttribute("tests", Long.toString(tests));
        xml.writeAttribute("failures", Long.toString(failures));
        xml.writeAttribute("errors", Long.toString(errors));
        xml.writeAttribute("skipped", "0");
    }

    private static void testCase(XMLStreamWriter xml, ExpectationsResult.SuiteResult suite, AssertionResult result)
            throws XMLStreamException {
        newline(xml, 2);
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", clean("phiguard.test." + suite.suite().name()));
        xml.writeAttribute("name", clean(result.assertion().name()));
        // read by GitLab and by annotation actions to link the case to its line
        xml.writeAttribute("file", clean(result.assertion().source().file()));
        xml.writeAttribute("line", Integer.toString(result.assertion().source().line()));
        newline(xml, 3);
        String claim = ExpectationsTextFormatter.claim(result.assertion());
        switch (result.status()) {
            case PASSED -> {
                xml.writeStartElement("system-out");
                xml.writeCharacters(clean("\nexpected: " + claim + "\nno pair breaks it\n"));
                xml.writeEndElement();
            }
            case FAILED -> {
                xml.writeStartElement("failure");
                xml.writeAttribute("message", clean(claim + ": " + ExpectationsTextFormatter.headline(result)
                        + "; first: " + (ExpectationsTextFormatter.refuses(result.assertion()) ? "refused " : "allowed ")
                        + result.violations().get(0)));
                xml.writeAttribute("type", "connectivity");
                xml.writeCharacters(clean("\n" + ExpectationsTextFormatter.details(result)));
                xml.writeEndElement();
            }
            case ERROR -> {
                xml.writeStartElement("error");
                xml.writeAttribute("message", clean(result.errors().get(0)));
                xml.writeAttribute("type", "invalid assertion");
                xml.writeCharacters(clean("\n" + ExpectationsTextFormatter.details(result)));
                xml.writeEndElement();
            }
            default -> throw new IllegalStateException(result.status().toString());
        }
        newline(xml, 2);
        xml.writeEndElement();
    }

    private static String clean(String text) {
        return AuditJunitFormatter.clean(text);
    }

    private static void newline(XMLStreamWriter xml, int depth) throws XMLStreamException {
        xml.writeCharacters("\n" + "  ".repeat(depth));
    }
}
