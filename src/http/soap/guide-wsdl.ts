/**
 * The guide's SOAP contract (namespace http://www.ecgridos.net/): Login, Logout, CallBackAdd and
 * CallBackTest, shaped so that the guide's samples work as written — raw envelopes whose every
 * child is `ecg:`-qualified, SOAPAction "http://www.ecgridos.net/<Method>", and a generated client
 * reading `result.CallBackAddResult.CallBackQueueID`.
 *
 * The portType is named ECGridOSAPI because a client generator names the client class after it,
 * and the guide's C# sample constructs `ECGridOSAPIClient`. Declarations follow the ASMX style of
 * the real ECGridOS WSDL (strings and structures minOccurs 0, numbers, booleans and enums 1) so
 * generated code looks alike.
 */
import { CALLBACK_STATUSES, EVENT_TYPES, type CallbackStatus, type EventType } from '../../domain/types.js';
import { escapeXml } from './xml.js';

export const GUIDE_NAMESPACE = 'http://www.ecgridos.net/';

export const GUIDE_OPERATIONS = ['Login', 'Logout', 'CallBackAdd', 'CallBackTest'] as const;
export type GuideOperation = (typeof GUIDE_OPERATIONS)[number];

/** The CallBackAddResult: the callback as stored, with its resolved scope and retry policy. */
export interface CallBackInfo {
  CallBackQueueID: number;
  CallBackURL: string;
  CallBackEvent: EventType;
  Status: CallbackStatus;
  NetworkID: number;
  MailboxID: number;
  ECGridID: number;
  Frequency: number;
  Retries: number;
  /**
   * The callback's signing secret (whsec_…) for the webhook-signature header. Answered once, by
   * CallBackAdd, as the REST API answers it once on create.
   */
  Secret?: string;
}

/** The CallBackTestResult: the outcome of the test event's first attempt. */
export interface CallBackTestInfo {
  EventID: number;
  Delivered: boolean;
  /** 0 when no HTTP answer came (refused, timed out, reset). */
  HTTPStatus: number;
  /** Why the attempt failed; absent when it was delivered. */
  Error?: string;
  DurationMS: number;
}

/** What the handler of each operation returns: the value of its `<Operation>Result` element. */
export interface GuideResults {
  Login: string;
  Logout: boolean;
  CallBackAdd: CallBackInfo;
  CallBackTest: CallBackTestInfo;
}

type Field = readonly [name: string, type: string];

interface OperationSpec {
  name: GuideOperation;
  documentation: string;
  input: readonly Field[];
  result: Field;
}

const OPERATIONS: readonly OperationSpec[] = [
  {
    name: 'Login',
    documentation: 'Opens a session. The session ID it returns (or an API key) is the SessionID of the other calls.',
    input: [
      ['LoginName', 's:string'],
      ['Password', 's:string'],
    ],
    result: ['LoginResult', 's:string'],
  },
  {
    name: 'Logout',
    documentation: 'Closes a session.',
    input: [['SessionID', 's:string']],
    result: ['LogoutResult', 's:boolean'],
  },
  {
    name: 'CallBackAdd',
    documentation:
      'Registers a callback: CallBackURL is posted to when CallBackEvent happens in the scope. ' +
      'NetworkID 0 means your own network, MailboxID 0 all mailboxes, ECGridID 0 all IDs.',
    input: [
      ['SessionID', 's:string'],
      ['NetworkID', 's:int'],
      ['MailboxID', 's:int'],
      ['ECGridID', 's:int'],
      ['CallBackURL', 's:string'],
      ['CallBackEvent', 'tns:CallBackEventType'],
      ['Frequency', 's:int'],
      ['Retries', 's:int'],
    ],
    result: ['CallBackAddResult', 'tns:CallBackInfo'],
  },
  {
    name: 'CallBackTest',
    documentation: "Posts a test event to the callback's URL at once and returns the outcome of that first attempt.",
    input: [
      ['SessionID', 's:string'],
      ['CallBackQueueID', 's:int'],
    ],
    result: ['CallBackTestResult', 'tns:CallBackTestInfo'],
  },
];

const COMPLEX_TYPES: Readonly<Record<string, readonly Field[]>> = {
  CallBackInfo: [
    ['CallBackQueueID', 's:int'],
    ['CallBackURL', 's:string'],
    ['CallBackEvent', 'tns:CallBackEventType'],
    ['Status', 'tns:CallBackStatus'],
    ['NetworkID', 's:int'],
    ['MailboxID', 's:int'],
    ['ECGridID', 's:int'],
    ['Frequency', 's:int'],
    ['Retries', 's:int'],
    ['Secret', 's:string'],
  ],
  CallBackTestInfo: [
    ['EventID', 's:long'],
    ['Delivered', 's:boolean'],
    ['HTTPStatus', 's:int'],
    ['Error', 's:string'],
    ['DurationMS', 's:int'],
  ],
};

const ENUMS: Readonly<Record<string, readonly string[]>> = {
  CallBackEventType: EVENT_TYPES,
  CallBackStatus: CALLBACK_STATUSES,
};

const WSDL_DOC = 'xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"';
const DOCUMENTATION = 'gridhook callbacks over SOAP 1.1, as the ECGrid guide "Configure Callbacks" calls them.';

/** As ASMX declares them: strings and structures may be left out; numbers, booleans and enums may not. */
function element([name, type]: Field, indent: string): string {
  const minOccurs = type === 's:string' || type.slice('tns:'.length) in COMPLEX_TYPES ? 0 : 1;
  return `${indent}<s:element minOccurs="${minOccurs}" maxOccurs="1" name="${name}" type="${type}" />`;
}

function sequence(fields: readonly Field[], indent: string): string[] {
  return [`${indent}<s:sequence>`, ...fields.map((f) => element(f, `${indent}  `)), `${indent}</s:sequence>`];
}

function wrapper(name: string, fields: readonly Field[]): string[] {
  return [
    `      <s:element name="${name}">`,
    '        <s:complexType>',
    ...sequence(fields, '          '),
    '        </s:complexType>',
    '      </s:element>',
  ];
}

function buildTemplate(): string {
  const schema = [
    ...OPERATIONS.flatMap((op) => [...wrapper(op.name, op.input), ...wrapper(`${op.name}Response`, [op.result])]),
    ...Object.entries(COMPLEX_TYPES).flatMap(([name, fields]) => [
      `      <s:complexType name="${name}">`,
      ...sequence(fields, '        '),
      '      </s:complexType>',
    ]),
    ...Object.entries(ENUMS).flatMap(([name, values]) => [
      `      <s:simpleType name="${name}">`,
      '        <s:restriction base="s:string">',
      ...values.map((v) => `          <s:enumeration value="${v}" />`),
      '        </s:restriction>',
      '      </s:simpleType>',
    ]),
  ];
  const messages = OPERATIONS.flatMap((op) => [
    `  <wsdl:message name="${op.name}SoapIn">`,
    `    <wsdl:part name="parameters" element="tns:${op.name}" />`,
    '  </wsdl:message>',
    `  <wsdl:message name="${op.name}SoapOut">`,
    `    <wsdl:part name="parameters" element="tns:${op.name}Response" />`,
    '  </wsdl:message>',
  ]);
  const portType = OPERATIONS.flatMap((op) => [
    `    <wsdl:operation name="${op.name}">`,
    `      <wsdl:documentation ${WSDL_DOC}>${escapeXml(op.documentation)}</wsdl:documentation>`,
    `      <wsdl:input message="tns:${op.name}SoapIn" />`,
    `      <wsdl:output message="tns:${op.name}SoapOut" />`,
    '    </wsdl:operation>',
  ]);
  // The same operations in a SOAP 1.1 and a SOAP 1.2 binding, as ASMX declares them.
  const binding = (soap: 'soap' | 'soap12') =>
    OPERATIONS.flatMap((op) => [
      `    <wsdl:operation name="${op.name}">`,
      `      <${soap}:operation soapAction="${GUIDE_NAMESPACE}${op.name}" style="document" />`,
      '      <wsdl:input>',
      `        <${soap}:body use="literal" />`,
      '      </wsdl:input>',
      '      <wsdl:output>',
      `        <${soap}:body use="literal" />`,
      '      </wsdl:output>',
      '    </wsdl:operation>',
    ]);
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<wsdl:definitions xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"' +
      ' xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:s="http://www.w3.org/2001/XMLSchema"' +
      ` xmlns:tns="${GUIDE_NAMESPACE}" targetNamespace="${GUIDE_NAMESPACE}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">`,
    `  <wsdl:documentation ${WSDL_DOC}>${escapeXml(DOCUMENTATION)}</wsdl:documentation>`,
    '  <wsdl:types>',
    `    <s:schema elementFormDefault="qualified" targetNamespace="${GUIDE_NAMESPACE}">`,
    ...schema,
    '    </s:schema>',
    '  </wsdl:types>',
    ...messages,
    '  <wsdl:portType name="ECGridOSAPI">',
    ...portType,
    '  </wsdl:portType>',
    '  <wsdl:binding name="ECGridOSAPISoap" type="tns:ECGridOSAPI">',
    '    <soap:binding transport="http://schemas.xmlsoap.org/soap/http" />',
    ...binding('soap'),
    '  </wsdl:binding>',
    '  <wsdl:binding name="ECGridOSAPISoap12" type="tns:ECGridOSAPI">',
    '    <soap12:binding transport="http://schemas.xmlsoap.org/soap/http" />',
    ...binding('soap12'),
    '  </wsdl:binding>',
    '  <wsdl:service name="ECGridOSAPI">',
    '    <wsdl:port name="ECGridOSAPISoap" binding="tns:ECGridOSAPISoap">',
    '      <soap:address location="\u0000" />',
    '    </wsdl:port>',
    '    <wsdl:port name="ECGridOSAPISoap12" binding="tns:ECGridOSAPISoap12">',
    '      <soap12:address location="\u0000" />',
    '    </wsdl:port>',
    '  </wsdl:service>',
    '</wsdl:definitions>',
    '',
  ].join('\n');
}

const TEMPLATE = buildTemplate().split('\u0000');

/** The WSDL document, with `address` (the absolute endpoint URL) as both SOAP ports' location. */
export function guideWsdl(address: string): string {
  return TEMPLATE.join(escapeXml(address));
}
