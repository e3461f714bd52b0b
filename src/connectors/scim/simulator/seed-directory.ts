/**
 * The seeded directory: employees of three company codes (1010 Germany, 1710 United States,
 * 2910 United Kingdom) with employee numbers, cost centers, departments and a manager chain: the
 * group CFO in 1010, a managing director per company code, department heads under them and staff
 * under the heads. A few leavers are inactive. Names, numbers and IDs are deterministic.
 */
import { createHash } from 'node:crypto';
import type { ScimEnterpriseUser } from './scim-resources.js';

/** What the simulator builds a SCIM User from (also the shape `POST /_sim/seed` accepts). */
export interface DirectoryPerson {
  readonly id?: string;
  readonly externalId?: string;
  readonly userName: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly email?: string;
  readonly title?: string;
  readonly locale?: string;
  readonly timezone?: string;
  readonly active?: boolean;
  readonly employeeNumber?: string;
  readonly costCenter?: string;
  readonly organization?: string;
  readonly division?: string;
  readonly department?: string;
  /** The reimbursement bank account (the payee extension), when HR holds one. */
  readonly iban?: string;
  readonly bic?: string;
  /** userName of the manager. */
  readonly managerUserName?: string;
  readonly created?: string;
}

export const SEED_DOMAIN = 'ledgerlink-demo.example';

interface CompanyProfile {
  readonly code: string;
  readonly locale: string;
  readonly timezone: string;
  readonly division: string;
  readonly givenNames: readonly string[];
  readonly familyNames: readonly string[];
  readonly staffPerDepartment: number;
}

const COMPANIES: readonly CompanyProfile[] = [
  {
    code: '1010',
    locale: 'de-DE',
    timezone: 'Europe/Berlin',
    division: 'EMEA Central',
    givenNames: [
      'Jürgen',
      'Anna',
      'Lukas',
      'Sophie',
      'Maximilian',
      'Lea',
      'Felix',
      'Hannah',
      'Jonas',
      'Marie',
      'Tobias',
      'Katrin',
    ],
    familyNames: [
      'Müller',
      'Schmidt',
      'Schneider',
      'Fischer',
      'Weber',
      'Meyer',
      'Wagner',
      'Becker',
      'Hoffmann',
      'Schäfer',
      'Koch',
    ],
    staffPerDepartment: 5,
  },
  {
    code: '1710',
    locale: 'en-US',
    timezone: 'America/Los_Angeles',
    division: 'Americas',
    givenNames: [
      'James',
      'Olivia',
      'Michael',
      'Emma',
      'Daniel',
      'Ava',
      'Ethan',
      'Mia',
      'Noah',
      'Harper',
      'Logan',
      'Grace',
    ],
    familyNames: [
      'Johnson',
      'Williams',
      'Brown',
      'Garcia',
      'Miller',
      'Davis',
      'Rodriguez',
      'Martinez',
      'Wilson',
      'Anderson',
      'Taylor',
    ],
    staffPerDepartment: 5,
  },
  {
    code: '2910',
    locale: 'en-GB',
    timezone: 'Europe/London',
    division: 'EMEA North',
    givenNames: ['Oliver', 'Amelia', 'Harry', 'Isla', 'George', 'Ava', 'Jack', 'Freya', 'Charlie', 'Siobhan'],
    familyNames: ["O'Brien", 'Smith', 'Jones', 'Evans', 'Thomas', 'Roberts', 'Walker', 'Wright', 'Hughes', 'Patel'],
    staffPerDepartment: 2,
  },
];

/** Departments with the last four digits of their cost center (SAP best-practice style). */
const DEPARTMENTS: readonly {
  readonly name: string;
  readonly suffix: string;
  readonly headTitle: string;
  readonly staffTitle: string;
}[] = [
  { name: 'Finance', suffix: '1101', headTitle: 'Head of Finance', staffTitle: 'Accountant' },
  { name: 'Human Resources', suffix: '1201', headTitle: 'Head of HR', staffTitle: 'HR Partner' },
  { name: 'IT Services', suffix: '1301', headTitle: 'Head of IT', staffTitle: 'Systems Engineer' },
  { name: 'Sales', suffix: '1401', headTitle: 'Head of Sales', staffTitle: 'Account Executive' },
  { name: 'Procurement', suffix: '1501', headTitle: 'Head of Procurement', staffTitle: 'Buyer' },
];

const MANAGEMENT_SUFFIX = '1001';

/** A stable UUID-shaped ID derived from a key. */
export function stableId(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function asciiLogin(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z]/g, '');
}

/** The seeded employees, managers before the people who report to them. */
export function seedPeople(): DirectoryPerson[] {
  const people: DirectoryPerson[] = [];
  const used = new Set<string>();
  let groupCfo: string | undefined;
  for (const company of COMPANIES) {
    let sequence = 0;
    let nameIndex = 0;
    const person = (
      costSuffix: string,
      department: string,
      title: string,
      manager: string | undefined,
      active = true,
    ): string => {
      sequence++;
      let given = '';
      let family = '';
      let userName = '';
      do {
        given = company.givenNames[nameIndex % company.givenNames.length]!;
        const round = Math.floor(nameIndex / company.givenNames.length);
        family = company.familyNames[(nameIndex * 7 + 3 + round) % company.familyNames.length]!;
        nameIndex++;
        userName = `${asciiLogin(given)}.${asciiLogin(family)}@${SEED_DOMAIN}`;
      } while (used.has(userName));
      used.add(userName);
      const employeeNumber = `${company.code.slice(0, 2)}${String(sequence).padStart(6, '0')}`;
      people.push({
        id: stableId(`scim-user-${employeeNumber}`),
        externalId: `HR-${employeeNumber}`,
        userName,
        givenName: given,
        familyName: family,
        email: userName,
        title,
        locale: company.locale,
        timezone: company.timezone,
        active,
        employeeNumber,
        costCenter: `${company.code}${costSuffix}`,
        organization: company.code,
        division: company.division,
        department,
        ...(manager === undefined ? {} : { managerUserName: manager }),
        created: `2023-0${(sequence % 9) + 1}-0${(sequence % 7) + 1}T08:00:00Z`,
      });
      return userName;
    };
    if (groupCfo === undefined) groupCfo = person(MANAGEMENT_SUFFIX, 'Management', 'Group CFO', undefined);
    const director = person(MANAGEMENT_SUFFIX, 'Management', 'Managing Director', groupCfo);
    for (const department of DEPARTMENTS) {
      const head = person(department.suffix, department.name, department.headTitle, director);
      for (let i = 0; i < company.staffPerDepartment; i++) {
        // The last Finance staff member of each company code has left (inactive).
        const leaver = department.suffix === '1101' && i === company.staffPerDepartment - 1;
        person(department.suffix, department.name, department.staffTitle, head, !leaver);
      }
    }
  }
  people.push(...fisSampleEmployees(people));
  return people;
}

/**
 * The employees of the SAP Concur FIS sample reports (`fis-samples/` of the expense simulator) and of
 * the other example documents Concur publishes, by the employee id the documents carry (personnel
 * numbers, user names or e-mail addresses, as published), in the company code of their currency and
 * the cost center their reports post to; each reports to the head of Finance of that company code.
 * The published examples of employee 24340 (CAD) are not READY for this hub (another ERP system
 * took them), so the directory has no Canadian employee.
 */
function fisSampleEmployees(people: readonly DirectoryPerson[]): DirectoryPerson[] {
  const headOfFinance = (code: string): string | undefined =>
    people.find((p) => p.organization === code && p.title === 'Head of Finance')?.userName;
  const sample = (
    employeeNumber: string,
    givenName: string,
    familyName: string,
    code: string,
    costCenter: string,
    division: string,
  ): DirectoryPerson => {
    const userName = `${asciiLogin(givenName)}.${asciiLogin(familyName)}.${asciiLogin(employeeNumber) || employeeNumber}@${SEED_DOMAIN}`;
    const manager = headOfFinance(code);
    return {
      id: stableId(`scim-user-${employeeNumber}`),
      externalId: `HR-${employeeNumber}`,
      userName,
      givenName,
      familyName,
      email: userName,
      title: 'Consultant',
      active: true,
      employeeNumber,
      costCenter,
      organization: code,
      division,
      department: 'Finance',
      ...(manager === undefined ? {} : { managerUserName: manager }),
      created: '2019-01-02T08:00:00Z',
    };
  };
  return [
    sample('49038128', 'German', 'Employee', '1010', '10101101', 'EMEA Central'),
    sample('23618', 'Matthias', 'Richter', '1710', '17101101', 'Americas'),
    sample('1017001', 'Dp1', 'CTE', '1710', '17101101', 'Americas'),
    sample('uiexp', 'uiexp', 'uiexp', '1710', '17101201', 'Americas'),
    sample('5', 'Admin', 'Processor', '1010', '10101101', 'EMEA Central'),
    sample('11', 'reporter', 'reporter', '1710', '17101101', 'Americas'),
    sample('User1', 'US', 'User1', '1710', '17101101', 'Americas'),
    sample('userCA5@p0182840729j.com', 'user', 'CA5', '1710', '17101101', 'Americas'),
    sample('tuan@dstaabfi-pro.com', 'Tuan', 'UK-User', '2910', '29101101', 'EMEA North'),
  ];
}

/** The enterprise extension of a person, with the manager resolved by the caller. */
export function enterpriseOf(person: DirectoryPerson): Omit<ScimEnterpriseUser, 'manager'> {
  return {
    ...(person.employeeNumber === undefined ? {} : { employeeNumber: person.employeeNumber }),
    ...(person.costCenter === undefined ? {} : { costCenter: person.costCenter }),
    ...(person.organization === undefined ? {} : { organization: person.organization }),
    ...(person.division === undefined ? {} : { division: person.division }),
    ...(person.department === undefined ? {} : { department: person.department }),
  };
}
