import { describe, expect, it } from "vitest";
import { escapeHtml, renderHtml } from "../../../agent/report/html";
import { SMALL_RESULT } from "./fixtures";

describe("HTML report", () => {
  const html = renderHtml(SMALL_RESULT);

  it("renders a finding's <script> as text, never as markup", () => {
    expect(html).toContain("Retention 365 | &lt;script&gt;alert(1)&lt;/script&gt; &amp; `tick`");
    expect(html).toContain("&lt;img src=x onerror=alert(2)&gt;");
    expect(html).toContain("<dd>&lt;b&gt;bold&lt;/b&gt;</dd>");
    expect(html).not.toContain("<script>alert(1)");
    expect(html).not.toContain("<img");
    // Exactly one script element: the report's own filter code.
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it("is self-contained: no external URL is loaded, and a CSP forbids any", () => {
    // Every "<" from a finding is escaped, so any tag here is the renderer's own: none may carry src or href.
    expect(html).not.toMatch(/<[^>]*\b(src|href)\s*=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    );
  });

  it("shows counts by status and severity, one row per account and one block per finding", () => {
    expect(html).toContain(
      '<li data-status-count="FAIL" class="s-FAIL" title="Show only FAIL"><span class="n">1</span>FAIL</li>',
    );
    expect(html).toContain(
      '<li data-status-count="PASS" class="s-PASS" title="Show only PASS"><span class="n">2</span>PASS</li>',
    );
    expect(html).toContain('<td class="num" data-label="Total" data-severity-count="HIGH">2</td>');
    expect(html).toContain('<td class="num" data-label="FAIL" data-cell="CRITICAL:FAIL">1</td>');
    expect(html.match(/<tr data-account-row=/g)).toHaveLength(4);
    // Every finding once under "All findings", and the two needing action (FAIL, ERROR) again under "Needs action".
    const all = html.slice(html.indexOf('<section id="findings">'));
    expect(all.match(/<tbody class="finding"/g)).toHaveLength(5);
    expect(html.match(/<tbody class="finding"/g)).toHaveLength(7);
    expect(html).toContain(
      '<p class="verdict verdict-INCOMPLETE" id="verdict" data-verdict="INCOMPLETE">INCOMPLETE · exit code 3</p>',
    );
  });

  it("puts intended, observed, error and remediation in each finding, open under Needs action, closed under All findings", () => {
    expect(html).toContain(
      '<pre class="intended">{\n  &quot;statements&quot;: [\n    &quot;DenyInsecureTransport&quot;,\n    &quot;AWSCloudTrailWrite&quot;\n  ]\n}</pre>',
    );
    expect(html).toContain(
      '<p class="error"><strong>AccessDeniedException</strong> in <code>DescribeConfigurationRecorders</code>: User is not authorized</p>',
    );
    expect(html).toContain("<dt>CLI</dt><dd><code>aws s3api put-bucket-policy</code></dd>");
    expect(html.match(/<details open>/g)).toHaveLength(2);
    expect(html).toContain('<pre class="intended">(absent)</pre><');
  });

  it("carries the run id in the header, as the other two formats do", () => {
    expect(html).toContain("<dt>Run id</dt><dd>0b5e3a8e-6f1d-4c2a-9e7b-3d2f1a0c9b8e</dd>");
  });

  it("escapes all five HTML-significant characters", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });
});
