/**
 * The guide's raw-envelope SOAP samples (Java, Node.js, Python), run as printed against the SOAP
 * layer; only the host in the endpoint URL is changed. The Java snippet is wrapped in a class so
 * the JDK can run it as a source file. Handlers are stubs: this proves the wire format, not the
 * services behind it.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../src/domain/types.js';
import type { SoapStruct } from '../src/http/soap/envelope.js';
import { readEnum, readInt, readString } from '../src/http/soap/params.js';
import { SOAP_PATH, soapPlugin } from '../src/http/soap/plugin.js';

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

let app: FastifyInstance;
let endpoint: string;
let workDir: string;
let received: SoapStruct | undefined;

beforeAll(async () => {
  app = Fastify();
  await app.register(soapPlugin, {
    operations: {
      guide: {
        CallBackAdd: async (p) => {
          received = p;
          return {
            CallBackQueueID: 7001,
            CallBackURL: readString(p, 'CallBackURL', { maxLength: 2048 }),
            CallBackEvent: readEnum(p, 'CallBackEvent', EVENT_TYPES),
            Status: 'Active',
            NetworkID: 1,
            MailboxID: readInt(p, 'MailboxID'),
            ECGridID: readInt(p, 'ECGridID'),
            Frequency: readInt(p, 'Frequency'),
            Retries: readInt(p, 'Retries'),
          };
        },
      },
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  endpoint = `http://127.0.0.1:${(app.server.address() as { port: number }).port}${SOAP_PATH}`;
  workDir = mkdtempSync(path.join(tmpdir(), 'gridhook-soap-samples-'));
});

afterAll(async () => {
  await app?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** Runs a sample pointed at this server; the server shares this process, so the child runs asynchronously. */
async function runSample(file: string, source: string, command: string, args: string[]): Promise<string> {
  received = undefined;
  const target = path.join(workDir, file);
  writeFileSync(target, source.replaceAll(GUIDE_ENDPOINT, endpoint));
  const { stdout } = await run(command, [...args, target], {
    timeout: 60_000,
    env: { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' },
  });
  return stdout;
}

function expectRegistered(stdout: string): void {
  expect(stdout).toContain(
    '<CallBackAddResponse xmlns="http://www.ecgridos.net/"><CallBackAddResult><CallBackQueueID>7001</CallBackQueueID>',
  );
  expect({ ...received }).toEqual({
    SessionID: 'YOUR_SESSION_ID',
    NetworkID: '0',
    MailboxID: '0',
    ECGridID: '0',
    CallBackURL: 'https://your-app.example.com/webhooks/ecgrid',
    CallBackEvent: 'InBox',
    Frequency: '1',
    Retries: '3',
  });
}

describe("the guide's SOAP samples, run as printed", () => {
  it('Node.js', async () => {
    expectRegistered(await runSample('sample.mjs', NODE, process.execPath, []));
  });

  it.skipIf(!havePythonRequests)('Python (requests)', async () => {
    expectRegistered(await runSample('sample.py', PYTHON, 'python3', []));
  });

  it.skipIf(!haveJava)('Java (java.net.http)', async () => {
    expectRegistered(await runSample('GuideSoapSample.java', javaProgram(JAVA), 'java', []));
  });
});
