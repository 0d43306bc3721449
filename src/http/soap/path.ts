/** Where the ECGridOS endpoint is served: the path of the real service's ASMX. */
export const SOAP_PATH = '/v4.1/prod/ECGridOS.asmx';
