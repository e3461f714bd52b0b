/** One mapping set version as GET /v1/mappings lists it. */
export interface MappingVersion {
  readonly version: string;
  readonly label: string;
  readonly status: string;
  readonly author: string;
  readonly approvedBy: string | null;
  readonly rejectedBy: string | null;
  readonly createdAt: string;
  readonly approvedAt: string | null;
}
