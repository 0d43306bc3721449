/*
 * The ECGridOS v4.1 operations gridhook serves, as the real WSDL declares them.
 * Written by scripts/extract-ecgridos-wsdl.mjs from the ECGridOS v4.1 WSDL: change the script and
 * rerun it (`node scripts/extract-ecgridos-wsdl.mjs`) rather than editing this file.
 */
import { escapeXml } from './xml.js';

/** The WSDL document, with `address` (the absolute endpoint URL) as the location of all four ports. */
export function ecgridosWsdl(address: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:tm="http://microsoft.com/wsdl/mime/textMatching/" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:http="http://schemas.xmlsoap.org/wsdl/http/" xmlns:s1="https://os.ecgrid.io/AbstractTypes" xmlns:tns="https://os.ecgrid.io/" xmlns:mime="http://schemas.xmlsoap.org/wsdl/mime/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" targetNamespace="https://os.ecgrid.io/" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">
  <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">The callback operations of ECGridOS v4.1, with their original element names and types, as served by gridhook: SOAP 1.1 and SOAP 1.2 document/literal, HTTP GET and HTTP POST.</wsdl:documentation>
  <wsdl:types>
    <s:schema elementFormDefault="qualified" targetNamespace="https://os.ecgrid.io/">
      <s:element name="NowUTC">
        <s:complexType />
      </s:element>
      <s:element name="NowUTCResponse">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="1" maxOccurs="1" name="NowUTCResult" type="s:dateTime" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="Version">
        <s:complexType />
      </s:element>
      <s:element name="VersionResponse">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="VersionResult" type="s:string" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="CallBackPendingList">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="SessionID" type="s:string" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="CallBackPendingListResponse">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="CallBackPendingListResult" type="tns:ArrayOfCallBackQueueIDInfo" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:complexType name="ArrayOfCallBackQueueIDInfo">
        <s:sequence>
          <s:element minOccurs="0" maxOccurs="unbounded" name="CallBackQueueIDInfo" nillable="true" type="tns:CallBackQueueIDInfo" />
        </s:sequence>
      </s:complexType>
      <s:complexType name="CallBackQueueIDInfo">
        <s:sequence>
          <s:element minOccurs="1" maxOccurs="1" name="CallBackQueueID" type="s:long" />
          <s:element minOccurs="1" maxOccurs="1" name="Date" type="s:dateTime" />
          <s:element minOccurs="0" maxOccurs="1" name="CallBackEvent" type="tns:CallBackEventIDInfo" />
          <s:element minOccurs="1" maxOccurs="1" name="CallsRemaining" type="s:short" />
          <s:element minOccurs="1" maxOccurs="1" name="NextCall" type="s:dateTime" />
          <s:element minOccurs="1" maxOccurs="1" name="Status" type="tns:StatusCallBack" />
          <s:element minOccurs="1" maxOccurs="1" name="ObjectID" type="s:long" />
          <s:element minOccurs="1" maxOccurs="1" name="UserID" type="s:int" />
          <s:element minOccurs="1" maxOccurs="1" name="Test" type="s:boolean" />
          <s:element minOccurs="0" maxOccurs="1" name="CallBackLog" type="tns:ArrayOfCallBackLogInfo" />
        </s:sequence>
      </s:complexType>
      <s:complexType name="CallBackEventIDInfo">
        <s:sequence>
          <s:element minOccurs="1" maxOccurs="1" name="CallBackEventID" type="s:int" />
          <s:element minOccurs="1" maxOccurs="1" name="NetworkID" type="s:int" />
          <s:element minOccurs="1" maxOccurs="1" name="MailboxID" type="s:int" />
          <s:element minOccurs="1" maxOccurs="1" name="UserID" type="s:int" />
          <s:element minOccurs="1" maxOccurs="1" name="Created" type="s:dateTime" />
          <s:element minOccurs="1" maxOccurs="1" name="Modified" type="s:dateTime" />
          <s:element minOccurs="1" maxOccurs="1" name="SystemObject" type="tns:Objects" />
          <s:element minOccurs="1" maxOccurs="1" name="ObjectStatus" type="s:short" />
          <s:element minOccurs="0" maxOccurs="1" name="StatusCode" type="s:string" />
          <s:element minOccurs="1" maxOccurs="1" name="Direction" type="tns:Direction" />
          <s:element minOccurs="1" maxOccurs="1" name="Frequency" type="s:short" />
          <s:element minOccurs="1" maxOccurs="1" name="MaxCalls" type="s:short" />
          <s:element minOccurs="1" maxOccurs="1" name="Status" type="tns:Status" />
          <s:element minOccurs="0" maxOccurs="1" name="URL" type="s:string" />
          <s:element minOccurs="0" maxOccurs="1" name="HTTPAuthentication" type="tns:HTTPAuthInfo" />
          <s:element minOccurs="0" maxOccurs="1" name="CallBackQueue" type="tns:ArrayOfCallBackQueueIDInfo" />
        </s:sequence>
      </s:complexType>
      <s:simpleType name="Objects">
        <s:restriction base="s:string">
          <s:enumeration value="System" />
          <s:enumeration value="User" />
          <s:enumeration value="Network" />
          <s:enumeration value="Mailbox" />
          <s:enumeration value="ECGridID" />
          <s:enumeration value="Interconnect" />
          <s:enumeration value="Migration" />
          <s:enumeration value="Parcel" />
          <s:enumeration value="Interchange" />
          <s:enumeration value="CarbonCopy" />
          <s:enumeration value="CallBackEvent" />
          <s:enumeration value="AS2" />
          <s:enumeration value="Comm" />
          <s:enumeration value="GISB" />
          <s:enumeration value="ParcelNotes" />
          <s:enumeration value="InterconnectNote" />
          <s:enumeration value="PriceList" />
          <s:enumeration value="Contract" />
          <s:enumeration value="Invoice" />
        </s:restriction>
      </s:simpleType>
      <s:simpleType name="Direction">
        <s:restriction base="s:string">
          <s:enumeration value="NoDir" />
          <s:enumeration value="OutBox" />
          <s:enumeration value="InBox" />
        </s:restriction>
      </s:simpleType>
      <s:simpleType name="Status">
        <s:restriction base="s:string">
          <s:enumeration value="Development" />
          <s:enumeration value="Active" />
          <s:enumeration value="Preproduction" />
          <s:enumeration value="Suspended" />
          <s:enumeration value="Terminated" />
        </s:restriction>
      </s:simpleType>
      <s:complexType name="HTTPAuthInfo">
        <s:sequence>
          <s:element minOccurs="1" maxOccurs="1" name="Type" type="tns:HTTPAuthType" />
          <s:element minOccurs="0" maxOccurs="1" name="User" type="s:string" />
          <s:element minOccurs="0" maxOccurs="1" name="Password" type="s:string" />
        </s:sequence>
      </s:complexType>
      <s:simpleType name="HTTPAuthType">
        <s:restriction base="s:string">
          <s:enumeration value="None" />
          <s:enumeration value="Basic" />
          <s:enumeration value="Digest" />
          <s:enumeration value="Certificate" />
        </s:restriction>
      </s:simpleType>
      <s:simpleType name="StatusCallBack">
        <s:restriction base="s:string">
          <s:enumeration value="Active" />
          <s:enumeration value="Pending" />
          <s:enumeration value="Completed" />
          <s:enumeration value="Error" />
          <s:enumeration value="Canceled" />
        </s:restriction>
      </s:simpleType>
      <s:complexType name="ArrayOfCallBackLogInfo">
        <s:sequence>
          <s:element minOccurs="0" maxOccurs="unbounded" name="CallBackLogInfo" nillable="true" type="tns:CallBackLogInfo" />
        </s:sequence>
      </s:complexType>
      <s:complexType name="CallBackLogInfo">
        <s:sequence>
          <s:element minOccurs="1" maxOccurs="1" name="CallBackLogID" type="s:long" />
          <s:element minOccurs="1" maxOccurs="1" name="Date" type="s:dateTime" />
          <s:element minOccurs="1" maxOccurs="1" name="CallNumber" type="s:short" />
          <s:element minOccurs="1" maxOccurs="1" name="ReturnCode" type="s:int" />
          <s:element minOccurs="0" maxOccurs="1" name="Message" type="s:string" />
        </s:sequence>
      </s:complexType>
      <s:element name="CallBackPendingListEx">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="SessionID" type="s:string" />
            <s:element minOccurs="1" maxOccurs="1" name="NetworkID" type="s:int" />
            <s:element minOccurs="1" maxOccurs="1" name="MailboxID" type="s:int" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="CallBackPendingListExResponse">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="CallBackPendingListExResult" type="tns:ArrayOfCallBackQueueIDInfo" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="CallBackFailedList">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="SessionID" type="s:string" />
            <s:element minOccurs="1" maxOccurs="1" name="MaxDays" type="s:short" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="CallBackFailedListResponse">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="CallBackFailedListResult" type="tns:ArrayOfCallBackQueueIDInfo" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="CallBackFailedListEx">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="SessionID" type="s:string" />
            <s:element minOccurs="1" maxOccurs="1" name="NetworkID" type="s:int" />
            <s:element minOccurs="1" maxOccurs="1" name="MailboxID" type="s:int" />
            <s:element minOccurs="1" maxOccurs="1" name="MaxDays" type="s:short" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="CallBackFailedListExResponse">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="CallBackFailedListExResult" type="tns:ArrayOfCallBackQueueIDInfo" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:simpleType name="AuthLevel">
        <s:restriction base="s:string">
          <s:enumeration value="NoChange" />
          <s:enumeration value="Root" />
          <s:enumeration value="TechOps" />
          <s:enumeration value="NetOps" />
          <s:enumeration value="NetworkAdmin" />
          <s:enumeration value="NetworkUser" />
          <s:enumeration value="MailboxAdmin" />
          <s:enumeration value="MailboxUser" />
          <s:enumeration value="TPUser" />
          <s:enumeration value="General" />
        </s:restriction>
      </s:simpleType>
      <s:element name="CallBackEventInfo">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="SessionID" type="s:string" />
            <s:element minOccurs="1" maxOccurs="1" name="CallBackEventID" type="s:int" />
            <s:element minOccurs="1" maxOccurs="1" name="QueueCount" type="s:short" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="CallBackEventInfoResponse">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="CallBackEventInfoResult" type="tns:CallBackEventIDInfo" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="CallBackEventListEx">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="SessionID" type="s:string" />
            <s:element minOccurs="1" maxOccurs="1" name="NetworkID" type="s:int" />
            <s:element minOccurs="1" maxOccurs="1" name="MailboxID" type="s:int" />
            <s:element minOccurs="1" maxOccurs="1" name="ShowInactive" type="s:boolean" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="CallBackEventListExResponse">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="CallBackEventListExResult" type="tns:ArrayOfCallBackEventIDInfo" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:complexType name="ArrayOfCallBackEventIDInfo">
        <s:sequence>
          <s:element minOccurs="0" maxOccurs="unbounded" name="CallBackEventIDInfo" nillable="true" type="tns:CallBackEventIDInfo" />
        </s:sequence>
      </s:complexType>
      <s:element name="CallBackAddEx">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="SessionID" type="s:string" />
            <s:element minOccurs="1" maxOccurs="1" name="NetworkID" type="s:int" />
            <s:element minOccurs="1" maxOccurs="1" name="MailboxID" type="s:int" />
            <s:element minOccurs="1" maxOccurs="1" name="UserID" type="s:int" />
            <s:element minOccurs="1" maxOccurs="1" name="SystemObject" type="tns:Objects" />
            <s:element minOccurs="1" maxOccurs="1" name="ObjectStatus" type="s:short" />
            <s:element minOccurs="1" maxOccurs="1" name="Direction" type="tns:Direction" />
            <s:element minOccurs="1" maxOccurs="1" name="Frequency" type="s:short" />
            <s:element minOccurs="1" maxOccurs="1" name="MaxRetries" type="s:short" />
            <s:element minOccurs="0" maxOccurs="1" name="URL" type="s:string" />
            <s:element minOccurs="1" maxOccurs="1" name="HTTPAuthentication" type="tns:HTTPAuthType" />
            <s:element minOccurs="0" maxOccurs="1" name="HTTPUser" type="s:string" />
            <s:element minOccurs="0" maxOccurs="1" name="HTTPPassword" type="s:string" />
            <s:element minOccurs="1" maxOccurs="1" name="Status" type="tns:Status" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="CallBackAddExResponse">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="CallBackAddExResult" type="tns:CallBackEventIDInfo" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="CallBackEventSetStatus">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="SessionID" type="s:string" />
            <s:element minOccurs="1" maxOccurs="1" name="CallBackEventID" type="s:int" />
            <s:element minOccurs="1" maxOccurs="1" name="Status" type="tns:Status" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="CallBackEventSetStatusResponse">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="1" maxOccurs="1" name="CallBackEventSetStatusResult" type="s:boolean" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="CallBackQueueInfo">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="SessionID" type="s:string" />
            <s:element minOccurs="1" maxOccurs="1" name="CallBackQueueID" type="s:long" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="CallBackQueueInfoResponse">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="CallBackQueueInfoResult" type="tns:CallBackQueueIDInfo" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="CallBackTest">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="SessionID" type="s:string" />
            <s:element minOccurs="1" maxOccurs="1" name="CallBackEventID" type="s:int" />
            <s:element minOccurs="1" maxOccurs="1" name="ParcelID" type="s:long" />
            <s:element minOccurs="1" maxOccurs="1" name="InterchangeID" type="s:int" />
            <s:element minOccurs="1" maxOccurs="1" name="UserID" type="s:int" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="CallBackTestResponse">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="CallBackTestResult" type="tns:CallBackQueueIDInfo" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="Login">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="LoginName" type="s:string" />
            <s:element minOccurs="0" maxOccurs="1" name="Password" type="s:string" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="LoginResponse">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="LoginResult" type="s:string" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="Logout">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="SessionID" type="s:string" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="LogoutResponse">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="1" maxOccurs="1" name="LogoutResult" type="s:int" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="WhoAmI">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="SessionID" type="s:string" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:element name="WhoAmIResponse">
        <s:complexType>
          <s:sequence>
            <s:element minOccurs="0" maxOccurs="1" name="WhoAmIResult" type="tns:SessionInfo" />
          </s:sequence>
        </s:complexType>
      </s:element>
      <s:complexType name="SessionInfo">
        <s:sequence>
          <s:element minOccurs="0" maxOccurs="1" name="ECGridOSVersion" type="s:string" />
          <s:element minOccurs="0" maxOccurs="1" name="SessionID" type="s:string" />
          <s:element minOccurs="1" maxOccurs="1" name="SessionEventID" type="s:int" />
          <s:element minOccurs="1" maxOccurs="1" name="UserID" type="s:int" />
          <s:element minOccurs="0" maxOccurs="1" name="LoginName" type="s:string" />
          <s:element minOccurs="0" maxOccurs="1" name="FirstName" type="s:string" />
          <s:element minOccurs="0" maxOccurs="1" name="LastName" type="s:string" />
          <s:element minOccurs="0" maxOccurs="1" name="Company" type="s:string" />
          <s:element minOccurs="0" maxOccurs="1" name="EMail" type="s:string" />
          <s:element minOccurs="0" maxOccurs="1" name="Phone" type="s:string" />
          <s:element minOccurs="1" maxOccurs="1" name="TimeZoneOffset" type="s:float" />
          <s:element minOccurs="1" maxOccurs="1" name="AuthLevel" type="tns:AuthLevel" />
          <s:element minOccurs="1" maxOccurs="1" name="LastLogin" type="s:dateTime" />
          <s:element minOccurs="1" maxOccurs="1" name="OpenSessions" type="s:short" />
          <s:element minOccurs="1" maxOccurs="1" name="TimeOut" type="s:short" />
          <s:element minOccurs="1" maxOccurs="1" name="NetworkID" type="s:int" />
          <s:element minOccurs="1" maxOccurs="1" name="MailboxID" type="s:int" />
          <s:element minOccurs="0" maxOccurs="1" name="ip" type="s:string" />
        </s:sequence>
      </s:complexType>
      <s:element name="dateTime" type="s:dateTime" />
      <s:element name="string" nillable="true" type="s:string" />
      <s:element name="ArrayOfCallBackQueueIDInfo" nillable="true" type="tns:ArrayOfCallBackQueueIDInfo" />
      <s:element name="boolean" type="s:boolean" />
      <s:element name="int" type="s:int" />
      <s:element name="CallBackEventIDInfo" nillable="true" type="tns:CallBackEventIDInfo" />
      <s:element name="ArrayOfCallBackEventIDInfo" nillable="true" type="tns:ArrayOfCallBackEventIDInfo" />
      <s:element name="CallBackQueueIDInfo" nillable="true" type="tns:CallBackQueueIDInfo" />
      <s:element name="SessionInfo" nillable="true" type="tns:SessionInfo" />
    </s:schema>
  </wsdl:types>
  <wsdl:message name="NowUTCSoapIn">
    <wsdl:part name="parameters" element="tns:NowUTC" />
  </wsdl:message>
  <wsdl:message name="NowUTCSoapOut">
    <wsdl:part name="parameters" element="tns:NowUTCResponse" />
  </wsdl:message>
  <wsdl:message name="VersionSoapIn">
    <wsdl:part name="parameters" element="tns:Version" />
  </wsdl:message>
  <wsdl:message name="VersionSoapOut">
    <wsdl:part name="parameters" element="tns:VersionResponse" />
  </wsdl:message>
  <wsdl:message name="CallBackPendingListSoapIn">
    <wsdl:part name="parameters" element="tns:CallBackPendingList" />
  </wsdl:message>
  <wsdl:message name="CallBackPendingListSoapOut">
    <wsdl:part name="parameters" element="tns:CallBackPendingListResponse" />
  </wsdl:message>
  <wsdl:message name="CallBackPendingListExSoapIn">
    <wsdl:part name="parameters" element="tns:CallBackPendingListEx" />
  </wsdl:message>
  <wsdl:message name="CallBackPendingListExSoapOut">
    <wsdl:part name="parameters" element="tns:CallBackPendingListExResponse" />
  </wsdl:message>
  <wsdl:message name="CallBackFailedListSoapIn">
    <wsdl:part name="parameters" element="tns:CallBackFailedList" />
  </wsdl:message>
  <wsdl:message name="CallBackFailedListSoapOut">
    <wsdl:part name="parameters" element="tns:CallBackFailedListResponse" />
  </wsdl:message>
  <wsdl:message name="CallBackFailedListExSoapIn">
    <wsdl:part name="parameters" element="tns:CallBackFailedListEx" />
  </wsdl:message>
  <wsdl:message name="CallBackFailedListExSoapOut">
    <wsdl:part name="parameters" element="tns:CallBackFailedListExResponse" />
  </wsdl:message>
  <wsdl:message name="CallBackEventInfoSoapIn">
    <wsdl:part name="parameters" element="tns:CallBackEventInfo" />
  </wsdl:message>
  <wsdl:message name="CallBackEventInfoSoapOut">
    <wsdl:part name="parameters" element="tns:CallBackEventInfoResponse" />
  </wsdl:message>
  <wsdl:message name="CallBackEventListExSoapIn">
    <wsdl:part name="parameters" element="tns:CallBackEventListEx" />
  </wsdl:message>
  <wsdl:message name="CallBackEventListExSoapOut">
    <wsdl:part name="parameters" element="tns:CallBackEventListExResponse" />
  </wsdl:message>
  <wsdl:message name="CallBackAddExSoapIn">
    <wsdl:part name="parameters" element="tns:CallBackAddEx" />
  </wsdl:message>
  <wsdl:message name="CallBackAddExSoapOut">
    <wsdl:part name="parameters" element="tns:CallBackAddExResponse" />
  </wsdl:message>
  <wsdl:message name="CallBackEventSetStatusSoapIn">
    <wsdl:part name="parameters" element="tns:CallBackEventSetStatus" />
  </wsdl:message>
  <wsdl:message name="CallBackEventSetStatusSoapOut">
    <wsdl:part name="parameters" element="tns:CallBackEventSetStatusResponse" />
  </wsdl:message>
  <wsdl:message name="CallBackQueueInfoSoapIn">
    <wsdl:part name="parameters" element="tns:CallBackQueueInfo" />
  </wsdl:message>
  <wsdl:message name="CallBackQueueInfoSoapOut">
    <wsdl:part name="parameters" element="tns:CallBackQueueInfoResponse" />
  </wsdl:message>
  <wsdl:message name="CallBackTestSoapIn">
    <wsdl:part name="parameters" element="tns:CallBackTest" />
  </wsdl:message>
  <wsdl:message name="CallBackTestSoapOut">
    <wsdl:part name="parameters" element="tns:CallBackTestResponse" />
  </wsdl:message>
  <wsdl:message name="LoginSoapIn">
    <wsdl:part name="parameters" element="tns:Login" />
  </wsdl:message>
  <wsdl:message name="LoginSoapOut">
    <wsdl:part name="parameters" element="tns:LoginResponse" />
  </wsdl:message>
  <wsdl:message name="LogoutSoapIn">
    <wsdl:part name="parameters" element="tns:Logout" />
  </wsdl:message>
  <wsdl:message name="LogoutSoapOut">
    <wsdl:part name="parameters" element="tns:LogoutResponse" />
  </wsdl:message>
  <wsdl:message name="WhoAmISoapIn">
    <wsdl:part name="parameters" element="tns:WhoAmI" />
  </wsdl:message>
  <wsdl:message name="WhoAmISoapOut">
    <wsdl:part name="parameters" element="tns:WhoAmIResponse" />
  </wsdl:message>
  <wsdl:message name="NowUTCHttpGetIn" />
  <wsdl:message name="NowUTCHttpGetOut">
    <wsdl:part name="Body" element="tns:dateTime" />
  </wsdl:message>
  <wsdl:message name="VersionHttpGetIn" />
  <wsdl:message name="VersionHttpGetOut">
    <wsdl:part name="Body" element="tns:string" />
  </wsdl:message>
  <wsdl:message name="CallBackPendingListHttpGetIn">
    <wsdl:part name="SessionID" type="s:string" />
  </wsdl:message>
  <wsdl:message name="CallBackPendingListHttpGetOut">
    <wsdl:part name="Body" element="tns:ArrayOfCallBackQueueIDInfo" />
  </wsdl:message>
  <wsdl:message name="CallBackPendingListExHttpGetIn">
    <wsdl:part name="SessionID" type="s:string" />
    <wsdl:part name="NetworkID" type="s:string" />
    <wsdl:part name="MailboxID" type="s:string" />
  </wsdl:message>
  <wsdl:message name="CallBackPendingListExHttpGetOut">
    <wsdl:part name="Body" element="tns:ArrayOfCallBackQueueIDInfo" />
  </wsdl:message>
  <wsdl:message name="CallBackFailedListHttpGetIn">
    <wsdl:part name="SessionID" type="s:string" />
    <wsdl:part name="MaxDays" type="s:string" />
  </wsdl:message>
  <wsdl:message name="CallBackFailedListHttpGetOut">
    <wsdl:part name="Body" element="tns:ArrayOfCallBackQueueIDInfo" />
  </wsdl:message>
  <wsdl:message name="CallBackFailedListExHttpGetIn">
    <wsdl:part name="SessionID" type="s:string" />
    <wsdl:part name="NetworkID" type="s:string" />
    <wsdl:part name="MailboxID" type="s:string" />
    <wsdl:part name="MaxDays" type="s:string" />
  </wsdl:message>
  <wsdl:message name="CallBackFailedListExHttpGetOut">
    <wsdl:part name="Body" element="tns:ArrayOfCallBackQueueIDInfo" />
  </wsdl:message>
  <wsdl:message name="CallBackEventInfoHttpGetIn">
    <wsdl:part name="SessionID" type="s:string" />
    <wsdl:part name="CallBackEventID" type="s:string" />
    <wsdl:part name="QueueCount" type="s:string" />
  </wsdl:message>
  <wsdl:message name="CallBackEventInfoHttpGetOut">
    <wsdl:part name="Body" element="tns:CallBackEventIDInfo" />
  </wsdl:message>
  <wsdl:message name="CallBackEventListExHttpGetIn">
    <wsdl:part name="SessionID" type="s:string" />
    <wsdl:part name="NetworkID" type="s:string" />
    <wsdl:part name="MailboxID" type="s:string" />
    <wsdl:part name="ShowInactive" type="s:string" />
  </wsdl:message>
  <wsdl:message name="CallBackEventListExHttpGetOut">
    <wsdl:part name="Body" element="tns:ArrayOfCallBackEventIDInfo" />
  </wsdl:message>
  <wsdl:message name="CallBackAddExHttpGetIn">
    <wsdl:part name="SessionID" type="s:string" />
    <wsdl:part name="NetworkID" type="s:string" />
    <wsdl:part name="MailboxID" type="s:string" />
    <wsdl:part name="UserID" type="s:string" />
    <wsdl:part name="SystemObject" type="s:string" />
    <wsdl:part name="ObjectStatus" type="s:string" />
    <wsdl:part name="Direction" type="s:string" />
    <wsdl:part name="Frequency" type="s:string" />
    <wsdl:part name="MaxRetries" type="s:string" />
    <wsdl:part name="URL" type="s:string" />
    <wsdl:part name="HTTPAuthentication" type="s:string" />
    <wsdl:part name="HTTPUser" type="s:string" />
    <wsdl:part name="HTTPPassword" type="s:string" />
    <wsdl:part name="Status" type="s:string" />
  </wsdl:message>
  <wsdl:message name="CallBackAddExHttpGetOut">
    <wsdl:part name="Body" element="tns:CallBackEventIDInfo" />
  </wsdl:message>
  <wsdl:message name="CallBackEventSetStatusHttpGetIn">
    <wsdl:part name="SessionID" type="s:string" />
    <wsdl:part name="CallBackEventID" type="s:string" />
    <wsdl:part name="Status" type="s:string" />
  </wsdl:message>
  <wsdl:message name="CallBackEventSetStatusHttpGetOut">
    <wsdl:part name="Body" element="tns:boolean" />
  </wsdl:message>
  <wsdl:message name="CallBackQueueInfoHttpGetIn">
    <wsdl:part name="SessionID" type="s:string" />
    <wsdl:part name="CallBackQueueID" type="s:string" />
  </wsdl:message>
  <wsdl:message name="CallBackQueueInfoHttpGetOut">
    <wsdl:part name="Body" element="tns:CallBackQueueIDInfo" />
  </wsdl:message>
  <wsdl:message name="CallBackTestHttpGetIn">
    <wsdl:part name="SessionID" type="s:string" />
    <wsdl:part name="CallBackEventID" type="s:string" />
    <wsdl:part name="ParcelID" type="s:string" />
    <wsdl:part name="InterchangeID" type="s:string" />
    <wsdl:part name="UserID" type="s:string" />
  </wsdl:message>
  <wsdl:message name="CallBackTestHttpGetOut">
    <wsdl:part name="Body" element="tns:CallBackQueueIDInfo" />
  </wsdl:message>
  <wsdl:message name="LoginHttpGetIn">
    <wsdl:part name="LoginName" type="s:string" />
    <wsdl:part name="Password" type="s:string" />
  </wsdl:message>
  <wsdl:message name="LoginHttpGetOut">
    <wsdl:part name="Body" element="tns:string" />
  </wsdl:message>
  <wsdl:message name="LogoutHttpGetIn">
    <wsdl:part name="SessionID" type="s:string" />
  </wsdl:message>
  <wsdl:message name="LogoutHttpGetOut">
    <wsdl:part name="Body" element="tns:int" />
  </wsdl:message>
  <wsdl:message name="WhoAmIHttpGetIn">
    <wsdl:part name="SessionID" type="s:string" />
  </wsdl:message>
  <wsdl:message name="WhoAmIHttpGetOut">
    <wsdl:part name="Body" element="tns:SessionInfo" />
  </wsdl:message>
  <wsdl:message name="NowUTCHttpPostIn" />
  <wsdl:message name="NowUTCHttpPostOut">
    <wsdl:part name="Body" element="tns:dateTime" />
  </wsdl:message>
  <wsdl:message name="VersionHttpPostIn" />
  <wsdl:message name="VersionHttpPostOut">
    <wsdl:part name="Body" element="tns:string" />
  </wsdl:message>
  <wsdl:message name="CallBackPendingListHttpPostIn">
    <wsdl:part name="SessionID" type="s:string" />
  </wsdl:message>
  <wsdl:message name="CallBackPendingListHttpPostOut">
    <wsdl:part name="Body" element="tns:ArrayOfCallBackQueueIDInfo" />
  </wsdl:message>
  <wsdl:message name="CallBackPendingListExHttpPostIn">
    <wsdl:part name="SessionID" type="s:string" />
    <wsdl:part name="NetworkID" type="s:string" />
    <wsdl:part name="MailboxID" type="s:string" />
  </wsdl:message>
  <wsdl:message name="CallBackPendingListExHttpPostOut">
    <wsdl:part name="Body" element="tns:ArrayOfCallBackQueueIDInfo" />
  </wsdl:message>
  <wsdl:message name="CallBackFailedListHttpPostIn">
    <wsdl:part name="SessionID" type="s:string" />
    <wsdl:part name="MaxDays" type="s:string" />
  </wsdl:message>
  <wsdl:message name="CallBackFailedListHttpPostOut">
    <wsdl:part name="Body" element="tns:ArrayOfCallBackQueueIDInfo" />
  </wsdl:message>
  <wsdl:message name="CallBackFailedListExHttpPostIn">
    <wsdl:part name="SessionID" type="s:string" />
    <wsdl:part name="NetworkID" type="s:string" />
    <wsdl:part name="MailboxID" type="s:string" />
    <wsdl:part name="MaxDays" type="s:string" />
  </wsdl:message>
  <wsdl:message name="CallBackFailedListExHttpPostOut">
    <wsdl:part name="Body" element="tns:ArrayOfCallBackQueueIDInfo" />
  </wsdl:message>
  <wsdl:message name="CallBackEventInfoHttpPostIn">
    <wsdl:part name="SessionID" type="s:string" />
    <wsdl:part name="CallBackEventID" type="s:string" />
    <wsdl:part name="QueueCount" type="s:string" />
  </wsdl:message>
  <wsdl:message name="CallBackEventInfoHttpPostOut">
    <wsdl:part name="Body" element="tns:CallBackEventIDInfo" />
  </wsdl:message>
  <wsdl:message name="CallBackEventListExHttpPostIn">
    <wsdl:part name="SessionID" type="s:string" />
    <wsdl:part name="NetworkID" type="s:string" />
    <wsdl:part name="MailboxID" type="s:string" />
    <wsdl:part name="ShowInactive" type="s:string" />
  </wsdl:message>
  <wsdl:message name="CallBackEventListExHttpPostOut">
    <wsdl:part name="Body" element="tns:ArrayOfCallBackEventIDInfo" />
  </wsdl:message>
  <wsdl:message name="CallBackAddExHttpPostIn">
    <wsdl:part name="SessionID" type="s:string" />
    <wsdl:part name="NetworkID" type="s:string" />
    <wsdl:part name="MailboxID" type="s:string" />
    <wsdl:part name="UserID" type="s:string" />
    <wsdl:part name="SystemObject" type="s:string" />
    <wsdl:part name="ObjectStatus" type="s:string" />
    <wsdl:part name="Direction" type="s:string" />
    <wsdl:part name="Frequency" type="s:string" />
    <wsdl:part name="MaxRetries" type="s:string" />
    <wsdl:part name="URL" type="s:string" />
    <wsdl:part name="HTTPAuthentication" type="s:string" />
    <wsdl:part name="HTTPUser" type="s:string" />
    <wsdl:part name="HTTPPassword" type="s:string" />
    <wsdl:part name="Status" type="s:string" />
  </wsdl:message>
  <wsdl:message name="CallBackAddExHttpPostOut">
    <wsdl:part name="Body" element="tns:CallBackEventIDInfo" />
  </wsdl:message>
  <wsdl:message name="CallBackEventSetStatusHttpPostIn">
    <wsdl:part name="SessionID" type="s:string" />
    <wsdl:part name="CallBackEventID" type="s:string" />
    <wsdl:part name="Status" type="s:string" />
  </wsdl:message>
  <wsdl:message name="CallBackEventSetStatusHttpPostOut">
    <wsdl:part name="Body" element="tns:boolean" />
  </wsdl:message>
  <wsdl:message name="CallBackQueueInfoHttpPostIn">
    <wsdl:part name="SessionID" type="s:string" />
    <wsdl:part name="CallBackQueueID" type="s:string" />
  </wsdl:message>
  <wsdl:message name="CallBackQueueInfoHttpPostOut">
    <wsdl:part name="Body" element="tns:CallBackQueueIDInfo" />
  </wsdl:message>
  <wsdl:message name="CallBackTestHttpPostIn">
    <wsdl:part name="SessionID" type="s:string" />
    <wsdl:part name="CallBackEventID" type="s:string" />
    <wsdl:part name="ParcelID" type="s:string" />
    <wsdl:part name="InterchangeID" type="s:string" />
    <wsdl:part name="UserID" type="s:string" />
  </wsdl:message>
  <wsdl:message name="CallBackTestHttpPostOut">
    <wsdl:part name="Body" element="tns:CallBackQueueIDInfo" />
  </wsdl:message>
  <wsdl:message name="LoginHttpPostIn">
    <wsdl:part name="LoginName" type="s:string" />
    <wsdl:part name="Password" type="s:string" />
  </wsdl:message>
  <wsdl:message name="LoginHttpPostOut">
    <wsdl:part name="Body" element="tns:string" />
  </wsdl:message>
  <wsdl:message name="LogoutHttpPostIn">
    <wsdl:part name="SessionID" type="s:string" />
  </wsdl:message>
  <wsdl:message name="LogoutHttpPostOut">
    <wsdl:part name="Body" element="tns:int" />
  </wsdl:message>
  <wsdl:message name="WhoAmIHttpPostIn">
    <wsdl:part name="SessionID" type="s:string" />
  </wsdl:message>
  <wsdl:message name="WhoAmIHttpPostOut">
    <wsdl:part name="Body" element="tns:SessionInfo" />
  </wsdl:message>
  <wsdl:portType name="ECGridOS_x0020_API_x0020_v4Soap">
    <wsdl:operation name="NowUTC">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Current UTC Date/Time.</wsdl:documentation>
      <wsdl:input message="tns:NowUTCSoapIn" />
      <wsdl:output message="tns:NowUTCSoapOut" />
    </wsdl:operation>
    <wsdl:operation name="Version">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">ECGridOS Version.</wsdl:documentation>
      <wsdl:input message="tns:VersionSoapIn" />
      <wsdl:output message="tns:VersionSoapOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackPendingList">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">List of all Pending CallBackQueue records for session Network/Mailbox.</wsdl:documentation>
      <wsdl:input message="tns:CallBackPendingListSoapIn" />
      <wsdl:output message="tns:CallBackPendingListSoapOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackPendingListEx">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">List of all Pending CallBackQueue records for Specified Network/Mailbox.</wsdl:documentation>
      <wsdl:input message="tns:CallBackPendingListExSoapIn" />
      <wsdl:output message="tns:CallBackPendingListExSoapOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackFailedList">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">List of Failed CallBackQueue records for session Network/Mailbox.</wsdl:documentation>
      <wsdl:input message="tns:CallBackFailedListSoapIn" />
      <wsdl:output message="tns:CallBackFailedListSoapOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackFailedListEx">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">List of Failed CallBackQueue records for Specified Network/Mailbox.</wsdl:documentation>
      <wsdl:input message="tns:CallBackFailedListExSoapIn" />
      <wsdl:output message="tns:CallBackFailedListExSoapOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackEventInfo">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">List CallBack Event by CallBackEventID</wsdl:documentation>
      <wsdl:input message="tns:CallBackEventInfoSoapIn" />
      <wsdl:output message="tns:CallBackEventInfoSoapOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackEventListEx">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">List CallBack Events for a specified Network/Mailbox</wsdl:documentation>
      <wsdl:input message="tns:CallBackEventListExSoapIn" />
      <wsdl:output message="tns:CallBackEventListExSoapOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackAddEx">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Create a CallBack Event for a specified Network/Mailbox.</wsdl:documentation>
      <wsdl:input message="tns:CallBackAddExSoapIn" />
      <wsdl:output message="tns:CallBackAddExSoapOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackEventSetStatus">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Set the status of a CallBackEvent.</wsdl:documentation>
      <wsdl:input message="tns:CallBackEventSetStatusSoapIn" />
      <wsdl:output message="tns:CallBackEventSetStatusSoapOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackQueueInfo">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Information for a a specific CallBackQueueID.</wsdl:documentation>
      <wsdl:input message="tns:CallBackQueueInfoSoapIn" />
      <wsdl:output message="tns:CallBackQueueInfoSoapOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackTest">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Create a test call for a specific CallBackEventID.</wsdl:documentation>
      <wsdl:input message="tns:CallBackTestSoapIn" />
      <wsdl:output message="tns:CallBackTestSoapOut" />
    </wsdl:operation>
    <wsdl:operation name="Login">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Required first call in order to establish a session.</wsdl:documentation>
      <wsdl:input message="tns:LoginSoapIn" />
      <wsdl:output message="tns:LoginSoapOut" />
    </wsdl:operation>
    <wsdl:operation name="Logout">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Required final call to close a session.</wsdl:documentation>
      <wsdl:input message="tns:LogoutSoapIn" />
      <wsdl:output message="tns:LogoutSoapOut" />
    </wsdl:operation>
    <wsdl:operation name="WhoAmI">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Returns current session information.</wsdl:documentation>
      <wsdl:input message="tns:WhoAmISoapIn" />
      <wsdl:output message="tns:WhoAmISoapOut" />
    </wsdl:operation>
  </wsdl:portType>
  <wsdl:portType name="ECGridOS_x0020_API_x0020_v4HttpGet">
    <wsdl:operation name="NowUTC">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Current UTC Date/Time.</wsdl:documentation>
      <wsdl:input message="tns:NowUTCHttpGetIn" />
      <wsdl:output message="tns:NowUTCHttpGetOut" />
    </wsdl:operation>
    <wsdl:operation name="Version">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">ECGridOS Version.</wsdl:documentation>
      <wsdl:input message="tns:VersionHttpGetIn" />
      <wsdl:output message="tns:VersionHttpGetOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackPendingList">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">List of all Pending CallBackQueue records for session Network/Mailbox.</wsdl:documentation>
      <wsdl:input message="tns:CallBackPendingListHttpGetIn" />
      <wsdl:output message="tns:CallBackPendingListHttpGetOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackPendingListEx">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">List of all Pending CallBackQueue records for Specified Network/Mailbox.</wsdl:documentation>
      <wsdl:input message="tns:CallBackPendingListExHttpGetIn" />
      <wsdl:output message="tns:CallBackPendingListExHttpGetOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackFailedList">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">List of Failed CallBackQueue records for session Network/Mailbox.</wsdl:documentation>
      <wsdl:input message="tns:CallBackFailedListHttpGetIn" />
      <wsdl:output message="tns:CallBackFailedListHttpGetOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackFailedListEx">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">List of Failed CallBackQueue records for Specified Network/Mailbox.</wsdl:documentation>
      <wsdl:input message="tns:CallBackFailedListExHttpGetIn" />
      <wsdl:output message="tns:CallBackFailedListExHttpGetOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackEventInfo">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">List CallBack Event by CallBackEventID</wsdl:documentation>
      <wsdl:input message="tns:CallBackEventInfoHttpGetIn" />
      <wsdl:output message="tns:CallBackEventInfoHttpGetOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackEventListEx">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">List CallBack Events for a specified Network/Mailbox</wsdl:documentation>
      <wsdl:input message="tns:CallBackEventListExHttpGetIn" />
      <wsdl:output message="tns:CallBackEventListExHttpGetOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackAddEx">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Create a CallBack Event for a specified Network/Mailbox.</wsdl:documentation>
      <wsdl:input message="tns:CallBackAddExHttpGetIn" />
      <wsdl:output message="tns:CallBackAddExHttpGetOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackEventSetStatus">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Set the status of a CallBackEvent.</wsdl:documentation>
      <wsdl:input message="tns:CallBackEventSetStatusHttpGetIn" />
      <wsdl:output message="tns:CallBackEventSetStatusHttpGetOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackQueueInfo">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Information for a a specific CallBackQueueID.</wsdl:documentation>
      <wsdl:input message="tns:CallBackQueueInfoHttpGetIn" />
      <wsdl:output message="tns:CallBackQueueInfoHttpGetOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackTest">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Create a test call for a specific CallBackEventID.</wsdl:documentation>
      <wsdl:input message="tns:CallBackTestHttpGetIn" />
      <wsdl:output message="tns:CallBackTestHttpGetOut" />
    </wsdl:operation>
    <wsdl:operation name="Login">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Required first call in order to establish a session.</wsdl:documentation>
      <wsdl:input message="tns:LoginHttpGetIn" />
      <wsdl:output message="tns:LoginHttpGetOut" />
    </wsdl:operation>
    <wsdl:operation name="Logout">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Required final call to close a session.</wsdl:documentation>
      <wsdl:input message="tns:LogoutHttpGetIn" />
      <wsdl:output message="tns:LogoutHttpGetOut" />
    </wsdl:operation>
    <wsdl:operation name="WhoAmI">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Returns current session information.</wsdl:documentation>
      <wsdl:input message="tns:WhoAmIHttpGetIn" />
      <wsdl:output message="tns:WhoAmIHttpGetOut" />
    </wsdl:operation>
  </wsdl:portType>
  <wsdl:portType name="ECGridOS_x0020_API_x0020_v4HttpPost">
    <wsdl:operation name="NowUTC">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Current UTC Date/Time.</wsdl:documentation>
      <wsdl:input message="tns:NowUTCHttpPostIn" />
      <wsdl:output message="tns:NowUTCHttpPostOut" />
    </wsdl:operation>
    <wsdl:operation name="Version">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">ECGridOS Version.</wsdl:documentation>
      <wsdl:input message="tns:VersionHttpPostIn" />
      <wsdl:output message="tns:VersionHttpPostOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackPendingList">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">List of all Pending CallBackQueue records for session Network/Mailbox.</wsdl:documentation>
      <wsdl:input message="tns:CallBackPendingListHttpPostIn" />
      <wsdl:output message="tns:CallBackPendingListHttpPostOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackPendingListEx">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">List of all Pending CallBackQueue records for Specified Network/Mailbox.</wsdl:documentation>
      <wsdl:input message="tns:CallBackPendingListExHttpPostIn" />
      <wsdl:output message="tns:CallBackPendingListExHttpPostOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackFailedList">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">List of Failed CallBackQueue records for session Network/Mailbox.</wsdl:documentation>
      <wsdl:input message="tns:CallBackFailedListHttpPostIn" />
      <wsdl:output message="tns:CallBackFailedListHttpPostOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackFailedListEx">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">List of Failed CallBackQueue records for Specified Network/Mailbox.</wsdl:documentation>
      <wsdl:input message="tns:CallBackFailedListExHttpPostIn" />
      <wsdl:output message="tns:CallBackFailedListExHttpPostOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackEventInfo">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">List CallBack Event by CallBackEventID</wsdl:documentation>
      <wsdl:input message="tns:CallBackEventInfoHttpPostIn" />
      <wsdl:output message="tns:CallBackEventInfoHttpPostOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackEventListEx">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">List CallBack Events for a specified Network/Mailbox</wsdl:documentation>
      <wsdl:input message="tns:CallBackEventListExHttpPostIn" />
      <wsdl:output message="tns:CallBackEventListExHttpPostOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackAddEx">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Create a CallBack Event for a specified Network/Mailbox.</wsdl:documentation>
      <wsdl:input message="tns:CallBackAddExHttpPostIn" />
      <wsdl:output message="tns:CallBackAddExHttpPostOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackEventSetStatus">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Set the status of a CallBackEvent.</wsdl:documentation>
      <wsdl:input message="tns:CallBackEventSetStatusHttpPostIn" />
      <wsdl:output message="tns:CallBackEventSetStatusHttpPostOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackQueueInfo">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Information for a a specific CallBackQueueID.</wsdl:documentation>
      <wsdl:input message="tns:CallBackQueueInfoHttpPostIn" />
      <wsdl:output message="tns:CallBackQueueInfoHttpPostOut" />
    </wsdl:operation>
    <wsdl:operation name="CallBackTest">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Create a test call for a specific CallBackEventID.</wsdl:documentation>
      <wsdl:input message="tns:CallBackTestHttpPostIn" />
      <wsdl:output message="tns:CallBackTestHttpPostOut" />
    </wsdl:operation>
    <wsdl:operation name="Login">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Required first call in order to establish a session.</wsdl:documentation>
      <wsdl:input message="tns:LoginHttpPostIn" />
      <wsdl:output message="tns:LoginHttpPostOut" />
    </wsdl:operation>
    <wsdl:operation name="Logout">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Required final call to close a session.</wsdl:documentation>
      <wsdl:input message="tns:LogoutHttpPostIn" />
      <wsdl:output message="tns:LogoutHttpPostOut" />
    </wsdl:operation>
    <wsdl:operation name="WhoAmI">
      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">Returns current session information.</wsdl:documentation>
      <wsdl:input message="tns:WhoAmIHttpPostIn" />
      <wsdl:output message="tns:WhoAmIHttpPostOut" />
    </wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="ECGridOS_x0020_API_x0020_v4Soap" type="tns:ECGridOS_x0020_API_x0020_v4Soap">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http" />
    <wsdl:operation name="NowUTC">
      <soap:operation soapAction="https://os.ecgrid.io/NowUTC" style="document" />
      <wsdl:input>
        <soap:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="Version">
      <soap:operation soapAction="https://os.ecgrid.io/Version" style="document" />
      <wsdl:input>
        <soap:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackPendingList">
      <soap:operation soapAction="https://os.ecgrid.io/CallBackPendingList" style="document" />
      <wsdl:input>
        <soap:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackPendingListEx">
      <soap:operation soapAction="https://os.ecgrid.io/CallBackPendingListEx" style="document" />
      <wsdl:input>
        <soap:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackFailedList">
      <soap:operation soapAction="https://os.ecgrid.io/CallBackFailedList" style="document" />
      <wsdl:input>
        <soap:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackFailedListEx">
      <soap:operation soapAction="https://os.ecgrid.io/CallBackFailedListEx" style="document" />
      <wsdl:input>
        <soap:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackEventInfo">
      <soap:operation soapAction="https://os.ecgrid.io/CallBackEventInfo" style="document" />
      <wsdl:input>
        <soap:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackEventListEx">
      <soap:operation soapAction="https://os.ecgrid.io/CallBackEventListEx" style="document" />
      <wsdl:input>
        <soap:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackAddEx">
      <soap:operation soapAction="https://os.ecgrid.io/CallBackAddEx" style="document" />
      <wsdl:input>
        <soap:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackEventSetStatus">
      <soap:operation soapAction="https://os.ecgrid.io/CallBackEventSetStatus" style="document" />
      <wsdl:input>
        <soap:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackQueueInfo">
      <soap:operation soapAction="https://os.ecgrid.io/CallBackQueueInfo" style="document" />
      <wsdl:input>
        <soap:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackTest">
      <soap:operation soapAction="https://os.ecgrid.io/CallBackTest" style="document" />
      <wsdl:input>
        <soap:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="Login">
      <soap:operation soapAction="https://os.ecgrid.io/Login" style="document" />
      <wsdl:input>
        <soap:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="Logout">
      <soap:operation soapAction="https://os.ecgrid.io/Logout" style="document" />
      <wsdl:input>
        <soap:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="WhoAmI">
      <soap:operation soapAction="https://os.ecgrid.io/WhoAmI" style="document" />
      <wsdl:input>
        <soap:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:binding name="ECGridOS_x0020_API_x0020_v4Soap12" type="tns:ECGridOS_x0020_API_x0020_v4Soap">
    <soap12:binding transport="http://schemas.xmlsoap.org/soap/http" />
    <wsdl:operation name="NowUTC">
      <soap12:operation soapAction="https://os.ecgrid.io/NowUTC" style="document" />
      <wsdl:input>
        <soap12:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap12:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="Version">
      <soap12:operation soapAction="https://os.ecgrid.io/Version" style="document" />
      <wsdl:input>
        <soap12:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap12:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackPendingList">
      <soap12:operation soapAction="https://os.ecgrid.io/CallBackPendingList" style="document" />
      <wsdl:input>
        <soap12:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap12:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackPendingListEx">
      <soap12:operation soapAction="https://os.ecgrid.io/CallBackPendingListEx" style="document" />
      <wsdl:input>
        <soap12:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap12:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackFailedList">
      <soap12:operation soapAction="https://os.ecgrid.io/CallBackFailedList" style="document" />
      <wsdl:input>
        <soap12:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap12:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackFailedListEx">
      <soap12:operation soapAction="https://os.ecgrid.io/CallBackFailedListEx" style="document" />
      <wsdl:input>
        <soap12:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap12:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackEventInfo">
      <soap12:operation soapAction="https://os.ecgrid.io/CallBackEventInfo" style="document" />
      <wsdl:input>
        <soap12:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap12:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackEventListEx">
      <soap12:operation soapAction="https://os.ecgrid.io/CallBackEventListEx" style="document" />
      <wsdl:input>
        <soap12:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap12:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackAddEx">
      <soap12:operation soapAction="https://os.ecgrid.io/CallBackAddEx" style="document" />
      <wsdl:input>
        <soap12:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap12:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackEventSetStatus">
      <soap12:operation soapAction="https://os.ecgrid.io/CallBackEventSetStatus" style="document" />
      <wsdl:input>
        <soap12:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap12:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackQueueInfo">
      <soap12:operation soapAction="https://os.ecgrid.io/CallBackQueueInfo" style="document" />
      <wsdl:input>
        <soap12:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap12:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackTest">
      <soap12:operation soapAction="https://os.ecgrid.io/CallBackTest" style="document" />
      <wsdl:input>
        <soap12:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap12:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="Login">
      <soap12:operation soapAction="https://os.ecgrid.io/Login" style="document" />
      <wsdl:input>
        <soap12:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap12:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="Logout">
      <soap12:operation soapAction="https://os.ecgrid.io/Logout" style="document" />
      <wsdl:input>
        <soap12:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap12:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="WhoAmI">
      <soap12:operation soapAction="https://os.ecgrid.io/WhoAmI" style="document" />
      <wsdl:input>
        <soap12:body use="literal" />
      </wsdl:input>
      <wsdl:output>
        <soap12:body use="literal" />
      </wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:binding name="ECGridOS_x0020_API_x0020_v4HttpGet" type="tns:ECGridOS_x0020_API_x0020_v4HttpGet">
    <http:binding verb="GET" />
    <wsdl:operation name="NowUTC">
      <http:operation location="/NowUTC" />
      <wsdl:input>
        <http:urlEncoded />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="Version">
      <http:operation location="/Version" />
      <wsdl:input>
        <http:urlEncoded />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackPendingList">
      <http:operation location="/CallBackPendingList" />
      <wsdl:input>
        <http:urlEncoded />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackPendingListEx">
      <http:operation location="/CallBackPendingListEx" />
      <wsdl:input>
        <http:urlEncoded />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackFailedList">
      <http:operation location="/CallBackFailedList" />
      <wsdl:input>
        <http:urlEncoded />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackFailedListEx">
      <http:operation location="/CallBackFailedListEx" />
      <wsdl:input>
        <http:urlEncoded />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackEventInfo">
      <http:operation location="/CallBackEventInfo" />
      <wsdl:input>
        <http:urlEncoded />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackEventListEx">
      <http:operation location="/CallBackEventListEx" />
      <wsdl:input>
        <http:urlEncoded />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackAddEx">
      <http:operation location="/CallBackAddEx" />
      <wsdl:input>
        <http:urlEncoded />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackEventSetStatus">
      <http:operation location="/CallBackEventSetStatus" />
      <wsdl:input>
        <http:urlEncoded />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackQueueInfo">
      <http:operation location="/CallBackQueueInfo" />
      <wsdl:input>
        <http:urlEncoded />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackTest">
      <http:operation location="/CallBackTest" />
      <wsdl:input>
        <http:urlEncoded />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="Login">
      <http:operation location="/Login" />
      <wsdl:input>
        <http:urlEncoded />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="Logout">
      <http:operation location="/Logout" />
      <wsdl:input>
        <http:urlEncoded />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="WhoAmI">
      <http:operation location="/WhoAmI" />
      <wsdl:input>
        <http:urlEncoded />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:binding name="ECGridOS_x0020_API_x0020_v4HttpPost" type="tns:ECGridOS_x0020_API_x0020_v4HttpPost">
    <http:binding verb="POST" />
    <wsdl:operation name="NowUTC">
      <http:operation location="/NowUTC" />
      <wsdl:input>
        <mime:content type="application/x-www-form-urlencoded" />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="Version">
      <http:operation location="/Version" />
      <wsdl:input>
        <mime:content type="application/x-www-form-urlencoded" />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackPendingList">
      <http:operation location="/CallBackPendingList" />
      <wsdl:input>
        <mime:content type="application/x-www-form-urlencoded" />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackPendingListEx">
      <http:operation location="/CallBackPendingListEx" />
      <wsdl:input>
        <mime:content type="application/x-www-form-urlencoded" />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackFailedList">
      <http:operation location="/CallBackFailedList" />
      <wsdl:input>
        <mime:content type="application/x-www-form-urlencoded" />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackFailedListEx">
      <http:operation location="/CallBackFailedListEx" />
      <wsdl:input>
        <mime:content type="application/x-www-form-urlencoded" />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackEventInfo">
      <http:operation location="/CallBackEventInfo" />
      <wsdl:input>
        <mime:content type="application/x-www-form-urlencoded" />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackEventListEx">
      <http:operation location="/CallBackEventListEx" />
      <wsdl:input>
        <mime:content type="application/x-www-form-urlencoded" />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackAddEx">
      <http:operation location="/CallBackAddEx" />
      <wsdl:input>
        <mime:content type="application/x-www-form-urlencoded" />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackEventSetStatus">
      <http:operation location="/CallBackEventSetStatus" />
      <wsdl:input>
        <mime:content type="application/x-www-form-urlencoded" />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackQueueInfo">
      <http:operation location="/CallBackQueueInfo" />
      <wsdl:input>
        <mime:content type="application/x-www-form-urlencoded" />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="CallBackTest">
      <http:operation location="/CallBackTest" />
      <wsdl:input>
        <mime:content type="application/x-www-form-urlencoded" />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="Login">
      <http:operation location="/Login" />
      <wsdl:input>
        <mime:content type="application/x-www-form-urlencoded" />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="Logout">
      <http:operation location="/Logout" />
      <wsdl:input>
        <mime:content type="application/x-www-form-urlencoded" />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="WhoAmI">
      <http:operation location="/WhoAmI" />
      <wsdl:input>
        <mime:content type="application/x-www-form-urlencoded" />
      </wsdl:input>
      <wsdl:output>
        <mime:mimeXml part="Body" />
      </wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="ECGridOS_x0020_API_x0020_v4">
    <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">The callback operations of ECGridOS v4.1, with their original element names and types, as served by gridhook: SOAP 1.1 and SOAP 1.2 document/literal, HTTP GET and HTTP POST.</wsdl:documentation>
    <wsdl:port name="ECGridOS_x0020_API_x0020_v4Soap" binding="tns:ECGridOS_x0020_API_x0020_v4Soap">
      <soap:address location="${escapeXml(address)}" />
    </wsdl:port>
    <wsdl:port name="ECGridOS_x0020_API_x0020_v4Soap12" binding="tns:ECGridOS_x0020_API_x0020_v4Soap12">
      <soap12:address location="${escapeXml(address)}" />
    </wsdl:port>
    <wsdl:port name="ECGridOS_x0020_API_x0020_v4HttpGet" binding="tns:ECGridOS_x0020_API_x0020_v4HttpGet">
      <http:address location="${escapeXml(address)}" />
    </wsdl:port>
    <wsdl:port name="ECGridOS_x0020_API_x0020_v4HttpPost" binding="tns:ECGridOS_x0020_API_x0020_v4HttpPost">
      <http:address location="${escapeXml(address)}" />
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}
