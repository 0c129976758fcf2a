package org.jiesu.open311;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads a GeoReport v2 XML document back into the JSON shape, independently of the server's writer, so a
 * test can say the XML carries exactly what the JSON does. List elements are the ones GeoReport names.
 */
final class GeoReportXml {

  private static final Set<String> LISTS = Set.of("services", "service_requests", "attributes", "values", "errors",
      "service_request_updates");

  private GeoReportXml() {}

  /** The document element's content: an array for GeoReport's lists, else an object. */
  static Object read(String xml, String expectedRoot) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Element root = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
          .getDocumentElement();
      if (!root.getTagName().equals(expectedRoot)) {
        throw new AssertionError("document element " + root.getTagName() + ", expected " + expectedRoot);
      }
      return convert(root);
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n" + xml, e);
    }
  }

  private static Object convert(Element e) {
    if (LISTS.contains(e.getTagName())) {
      JsonArray out = new JsonArray();
      for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element child) {
          out.add(convert(child));
        }
      }
      return out;
    }
    boolean hasElements = false;
    JsonObject out = new JsonObject();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element child) {
        hasElements = true;
        out.put(child.getTagName(), convert(child));
      }
    }
    return hasElements ? out : e.getTextContent();
  }

  /** JSON with every scalar as the text XML would carry (null as empty), to compare with {@link #read}. */
  static Object asText(Object json) {
    if (json instanceof JsonObject o) {
      JsonObject out = new JsonObject();
      o.forEach(en -> out.put(en.getKey(), asText(en.getValue())));
      return out;
    }
    if (json instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(v -> out.add(asText(v)));
      return out;
    }
    return json == null ? "" : String.valueOf(json);
  }
}
