/*
 * Types of the ECGridOS v4.1 operations gridhook serves, named as the real WSDL names them.
 * Written by scripts/extract-ecgridos-wsdl.mjs from the ECGridOS v4.1 WSDL: change the script and
 * rerun it (`node scripts/extract-ecgridos-wsdl.mjs`) rather than editing this file.
 */
import type { DateTimeValue } from './schema.js';

export const ECGRIDOS_NAMESPACE = 'https://os.ecgrid.io/';

/** The operations, in the order the WSDL declares them. */
export const ECGRIDOS_OPERATIONS = [
  'NowUTC',
  'Version',
  'CallBackPendingList',
  'CallBackPendingListEx',
  'CallBackFailedList',
  'CallBackFailedListEx',
  'CallBackEventInfo',
  'CallBackEventListEx',
  'CallBackAddEx',
  'CallBackEventSetStatus',
  'CallBackQueueInfo',
  'CallBackTest',
  'Login',
  'Logout',
  'WhoAmI',
] as const;
export type EcgridosOperation = (typeof ECGRIDOS_OPERATIONS)[number];

export const Objects = [
  'System',
  'User',
  'Network',
  'Mailbox',
  'ECGridID',
  'Interconnect',
  'Migration',
  'Parcel',
  'Interchange',
  'CarbonCopy',
  'CallBackEvent',
  'AS2',
  'Comm',
  'GISB',
  'ParcelNotes',
  'InterconnectNote',
  'PriceList',
  'Contract',
  'Invoice',
] as const;
export type Objects = (typeof Objects)[number];

export const Direction = ['NoDir', 'OutBox', 'InBox'] as const;
export type Direction = (typeof Direction)[number];

export const Status = ['Development', 'Active', 'Preproduction', 'Suspended', 'Terminated'] as const;
export type Status = (typeof Status)[number];

export const HTTPAuthType = ['None', 'Basic', 'Digest', 'Certificate'] as const;
export type HTTPAuthType = (typeof HTTPAuthType)[number];

export const StatusCallBack = ['Active', 'Pending', 'Completed', 'Error', 'Canceled'] as const;
export type StatusCallBack = (typeof StatusCallBack)[number];

export const AuthLevel = [
  'NoChange',
  'Root',
  'TechOps',
  'NetOps',
  'NetworkAdmin',
  'NetworkUser',
  'MailboxAdmin',
  'MailboxUser',
  'TPUser',
  'General',
] as const;
export type AuthLevel = (typeof AuthLevel)[number];

export interface CallBackQueueIDInfo {
  CallBackQueueID: number;
  Date: DateTimeValue;
  CallBackEvent?: CallBackEventIDInfo;
  CallsRemaining: number;
  NextCall: DateTimeValue;
  Status: StatusCallBack;
  ObjectID: number;
  UserID: number;
  Test: boolean;
  CallBackLog?: CallBackLogInfo[];
}

export interface CallBackEventIDInfo {
  CallBackEventID: number;
  NetworkID: number;
  MailboxID: number;
  UserID: number;
  Created: DateTimeValue;
  Modified: DateTimeValue;
  SystemObject: Objects;
  ObjectStatus: number;
  StatusCode?: string;
  Direction: Direction;
  Frequency: number;
  MaxCalls: number;
  Status: Status;
  URL?: string;
  HTTPAuthentication?: HTTPAuthInfo;
  CallBackQueue?: CallBackQueueIDInfo[];
}

export interface HTTPAuthInfo {
  Type: HTTPAuthType;
  User?: string;
  Password?: string;
}

export interface CallBackLogInfo {
  CallBackLogID: number;
  Date: DateTimeValue;
  CallNumber: number;
  ReturnCode: number;
  Message?: string;
}

export interface SessionInfo {
  ECGridOSVersion?: string;
  SessionID?: string;
  SessionEventID: number;
  UserID: number;
  LoginName?: string;
  FirstName?: string;
  LastName?: string;
  Company?: string;
  EMail?: string;
  Phone?: string;
  TimeZoneOffset: number;
  AuthLevel: AuthLevel;
  LastLogin: DateTimeValue;
  OpenSessions: number;
  TimeOut: number;
  NetworkID: number;
  MailboxID: number;
  ip?: string;
}

/** What the handler of each operation returns: the value of its `<Operation>Result` element. */
export interface EcgridosResults {
  NowUTC: DateTimeValue;
  Version: string;
  CallBackPendingList: CallBackQueueIDInfo[];
  CallBackPendingListEx: CallBackQueueIDInfo[];
  CallBackFailedList: CallBackQueueIDInfo[];
  CallBackFailedListEx: CallBackQueueIDInfo[];
  CallBackEventInfo: CallBackEventIDInfo;
  CallBackEventListEx: CallBackEventIDInfo[];
  CallBackAddEx: CallBackEventIDInfo;
  CallBackEventSetStatus: boolean;
  CallBackQueueInfo: CallBackQueueIDInfo;
  CallBackTest: CallBackQueueIDInfo;
  Login: string;
  Logout: number;
  WhoAmI: SessionInfo;
}
