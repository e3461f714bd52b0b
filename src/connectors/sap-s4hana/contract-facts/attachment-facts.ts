/**
 * API_CV_ATTACHMENT_SRV as Ledgerlink uses it: URL attachments on posted documents.
 * Source: `API_CV_ATTACHMENT_SRV.edmx`. Every `AttachmentContent` property but `MimeType` (and the
 * binary `Content`) is read-only; links are made with the function import `CreateUrlAsAttachment`
 * (POST) and listed with `GetAllOriginals` (GET).
 */
import { bool, date, KEY, NOT_UPDATABLE, READ_ONLY, str, type ODataServiceFact } from './odata-fact-types.js';

const NS = 'API_CV_ATTACHMENT_SRV';
const key = (maxLength: number) => str(maxLength, KEY, READ_ONLY);
const readOnly = (maxLength: number) => str(maxLength, READ_ONLY);
const text = (maxLength: number, optional: boolean) => ({ type: 'Edm.String', maxLength, optional }) as const;

export const ATTACHMENT_FACTS: ODataServiceFact = {
  artifact: 'API_CV_ATTACHMENT_SRV.edmx',
  namespace: NS,
  entitySets: {
    AttachmentContentSet: {
      entityType: `${NS}.AttachmentContent`,
      creatable: true,
      updatable: false,
      deletable: true,
      properties: {
        DocumentInfoRecordDocType: key(3),
        DocumentInfoRecordDocNumber: key(25),
        DocumentInfoRecordDocVersion: key(2),
        DocumentInfoRecordDocPart: key(3),
        LogicalDocument: key(32),
        ArchiveDocumentID: key(40),
        LinkedSAPObjectKey: key(90),
        BusinessObjectTypeName: key(40),
        SemanticObject: readOnly(40),
        FileSize: readOnly(12),
        FileName: readOnly(255),
        DocumentURL: readOnly(4096),
        MimeType: str(128, NOT_UPDATABLE),
        CreatedByUser: readOnly(12),
        CreatedByUserFullName: readOnly(80),
        CreationDateTime: date(7, READ_ONLY),
        BusinessObjectType: readOnly(40),
        AttachmentDeletionIsAllowed: bool(READ_ONLY),
        AttachmentRenameIsAllowed: bool(READ_ONLY),
        Source: readOnly(10),
      },
    },
  },
  functionImports: {
    CreateUrlAsAttachment: {
      httpMethod: 'POST',
      returnType: `${NS}.AttachmentContent`,
      parameters: {
        HarmonizedDocumentType: text(40, true),
        SAPObjectType: text(30, true),
        SAPObjectNodeType: text(30, true),
        SemanticObject: text(40, true),
        LinkedSAPObjectKey: text(90, false),
        BusinessObjectTypeName: text(40, true),
        Url: text(255, false),
        UrlDescription: text(255, false),
        MIMEType: text(40, false),
      },
    },
    GetAllOriginals: {
      httpMethod: 'GET',
      returnType: `Collection(${NS}.AttachmentContent)`,
      parameters: {
        LinkedSAPObjectKey: text(90, false),
        BusinessObjectTypeName: text(40, true),
        SemanticObject: text(40, true),
        SAPObjectType: text(30, true),
        SAPObjectNodeType: text(30, true),
      },
    },
  },
};
