/**
 * The guide's raw-envelope SOAP samples (Java, Node.js, Python), run as printed against a real
 * gridhook: a real Login first, its session ID in place of YOUR_SESSION_ID, and only the host in
 * the endpoint URL changed. The Java snippet is wrapped in a class so the JDK can run it as a
 * source file. Afterwards the callback each registered must exist, in the logged-in user's
 * network, over REST as well.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startTestServer, type TestServer } from './helpers/server.js';
import { addLoginUser, ECGRIDOS_NS, login, soapEndpoint, soapOk, type LoginUser } from './helpers/soap.js';

const run = promisify(execFile);
const GUIDE_ENDPOINT = 'https://os.ecgrid.io/v4.1/prod/ECGridOS.asmx';

const JAVA = String.raw`// Java 11+ — SOAP CallBackAdd + CallBackTest via raw HTTP
import java.net.URI;
import java.net.http.*;
import java.net.http.HttpRequest.BodyPublishers;
var http = HttpClient.newHttpClient();
String sessionId = "YOUR_SESSION_ID";
String addEnv = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
+ "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\""
+ " xmlns:ecg=\"http://www.ecgridos.net/\"><soap:Body><ecg:CallBackAdd>"
+ "<ecg:SessionID>" + sessionId + "</ecg:SessionID>"
+ "<ecg:NetworkID>0</ecg:NetworkID><ecg:MailboxID>0</ecg:MailboxID>"
+ "<ecg:ECGridID>0</ecg:ECGridID>"
+ "<ecg:CallBackURL>https://your-app.example.com/webhooks/ecgrid</ecg:CallBackURL>"
+ "<ecg:CallBackEvent>InBox</ecg:CallBackEvent>"
+ "<ecg:Frequency>1</ecg:Frequency><ecg:Retries>3</ecg:Retries>"
+ "</ecg:CallBackAdd></soap:Body></soap:Envelope>";
var req = HttpRequest.newBuilder()
.uri(URI.create("https://os.ecgrid.io/v4.1/prod/ECGridOS.asmx"))
.header("Content-Type", "text/xml; charset=utf-8")
.header("SOAPAction", "\"http://www.ecgridos.net/CallBackAdd\"")
.POST(BodyPublishers.ofString(addEnv)).build();
var response = http.send(req, HttpResponse.BodyHandlers.ofString());
// Extract CallBackQueueID from XML, then call CallBackTest
System.out.println(response.body());`;

const NODE = `// Node.js 18+ — SOAP CallBackAdd + CallBackTest via raw HTTP
const sessionId = 'YOUR_SESSION_ID';
const addEnvelope = \`<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"
xmlns:ecg="http://www.ecgridos.net/">
<soap:Body><ecg:CallBackAdd>
<ecg:SessionID>\${sessionId}</ecg:SessionID>
<ecg:NetworkID>0</ecg:NetworkID><ecg:MailboxID>0</ecg:MailboxID>
<ecg:ECGridID>0</ecg:ECGridID>
<ecg:CallBackURL>https://your-app.example.com/webhooks/ecgrid</ecg:CallBackURL>
<ecg:CallBackEvent>InBox</ecg:CallBackEvent>
<ecg:Frequency>1</ecg:Frequency><ecg:Retries>3</ecg:Retries>
</ecg:CallBackAdd></soap:Body>
</soap:Envelope>\`;
const response = await fetch('https://os.ecgrid.io/v4.1/prod/ECGridOS.asmx', {
method: 'POST',
headers: { 'Content-Type': 'text/xml; charset=utf-8',
'SOAPAction': '"http://www.ecgridos.net/CallBackAdd"' },
body: addEnvelope
});
// Extract CallBackQueueID from XML, then call CallBackTest
console.log(await response.text());`;

const PYTHON = String.raw`import requests
session_id = "YOUR_SESSION_ID" # obtain from Login
envelope = (
'<?xml version="1.0" encoding="utf-8"?>'
'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"'
' xmlns:ecg="http://www.ecgridos.net/">'
'<soap:Body><ecg:CallBackAdd>'
'<ecg:SessionID>' + session_id + '</ecg:SessionID>'
'<ecg:NetworkID>0</ecg:NetworkID><ecg:MailboxID>0</ecg:MailboxID>'
'<ecg:ECGridID>0</ecg:ECGridID>'
'<ecg:CallBackURL>https://your-app.example.com/webhooks/ecgrid</ecg:CallBackURL>'
'<ecg:CallBackEvent>InBox</ecg:CallBackEvent>'
'<ecg:Frequency>1</ecg:Frequency><ecg:Retries>3</ecg:Retries>'
'</ecg:CallBackAdd></soap:Body></soap:Envelope>'
)
resp = requests.post(
"https://os.ecgrid.io/v4.1/prod/ECGridOS.asmx",
data=envelope.encode("utf-8"),
headers={"Content-Type": "text/xml; charset=utf-8",
"SOAPAction": '"http://www.ecgridos.net/CallBackAdd"'}
)
resp.raise_for_status()
# Extract CallBackQueueID from resp.text, then call CallBackTest
print(resp.text)`;

/** The JDK runs a source file's first class; the snippet's imports stay at the top, its statements go in main. */
function javaProgram(snippet: string): string {
  const lines = snippet.split('\n');
  const imports = lines.filter((l) => l.startsWith('import '));
  const body = lines.filter((l) => !l.startsWith('import '));
  return [...imports, 'public class GuideSoapSample {', 'public static void main(String[] args) throws Exception {', ...body, '}', '}'].join('\n');
}

const available = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
const haveJava = available('java', ['-version']);
const havePythonRequests = available('python3', ['-c', 'import requests']);

const SAMPLE_URL = 'https://your-app.example.com/webhooks/ecgrid';

let server: TestServer;
let user: LoginUser;
let workDir: string;

beforeAll(async () => {
  // Private URLs stay refused, as in production: the guide's https URL is public (and resolves
  // nowhere: the test server's resolver is offline).
  server = await startTestServer({ allowPrivateUrls: false });
  const network = await ok(server, 'POST', '/v2/networks/create', { name: 'Guide samples VAN' });
  user = await addLoginUser(server, 'NetworkAdmin', network.networkId);
  workDir = mkdtempSync(path.join(tmpdir(), 'gridhook-soap-samples-'));
});

afterAll(async () => {
  await server?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/**
 * Logs in, then runs a sample pointed at this server with that session; answers its output and
 * the session. The server shares this process, so the child runs asynchronously.
 */
async function runSample(file: string, source: string, command: string): Promise<{ stdout: string; sessionId: string }> {
  const sessionId = await login(server, user);
  expect(source).toContain('YOUR_SESSION_ID');
  const target = path.join(workDir, file);
  writeFileSync(target, source.replaceAll(GUIDE_ENDPOINT, soapEndpoint(server)).replaceAll('YOUR_SESSION_ID', sessionId));
  const { stdout } = await run(command, [target], {
    timeout: 60_000,
    env: { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' },
  });
  return { stdout, sessionId };
}

async function expectRegistered({ stdout, sessionId }: { stdout: string; sessionId: string }): Promise<void> {
  const answer = /<CallBackAddResponse xmlns="http:\/\/www\.ecgridos\.net\/"><CallBackAddResult><CallBackQueueID>(\d+)<\/CallBackQueueID>/.exec(
    stdout,
  );
  expect(answer, stdout).not.toBeNull();
  const callbackId = Number(answer![1]);
  expect(stdout).toContain(`<CallBackURL>${SAMPLE_URL}</CallBackURL><CallBackEvent>InBox</CallBackEvent><Status>Active</Status>`);

  expect(await ok(server, 'GET', `/v2/callbacks/${callbackId}`)).toMatchObject({
    callBackQueueId: callbackId,
    callBackUrl: SAMPLE_URL,
    callBackEvent: 'InBox',
    status: 'Active',
    networkId: user.networkId,
    mailboxId: 0,
    ecGridId: 0,
    frequency: 1,
    retries: 3,
  });
  const listed = await soapOk(server, ECGRIDOS_NS, 'CallBackEventInfo', {
    SessionID: sessionId,
    CallBackEventID: callbackId,
    QueueCount: 0,
  });
  expect(listed).toMatchObject({ URL: SAMPLE_URL, StatusCode: 'InBox', NetworkID: String(user.networkId) });
}

describe("the guide's SOAP samples, run as printed after a real Login", () => {
  it('Node.js', async () => {
    await expectRegistered(await runSample('sample.mjs', NODE, process.execPath));
  });

  it.skipIf(!havePythonRequests)('Python (requests)', async () => {
    await expectRegistered(await runSample('sample.py', PYTHON, 'python3'));
  });

  it.skipIf(!haveJava)('Java (java.net.http)', async () => {
    await expectRegistered(await runSample('GuideSoapSample.java', javaProgram(JAVA), 'java'));
  });
});
