/**
 * Company legal forms at the end of a supplier name ("Müller Logistik GmbH", "ACME Corporation
 * Ltd.", "Fromagerie Dupont S.à r.l."), found by comparing the last one to five words, compacted
 * (lower case, accents, dots, commas, slashes, brackets and spaces removed), against the table
 * below; the longest match wins. Up to two forms are taken off ("Acme Holdings Pty Ltd",
 * "Acme Corporation Ltd"). Only trailing forms are recognised: leading ones (Lithuanian "UAB …",
 * Swedish "AB Volvo") stay part of the name.
 */

/** Canonical spelling → compacted variants. */
const LEGAL_FORMS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['GmbH & Co. KG', ['gmbh&cokg', 'gmbhundcokg', 'gmbh+cokg', 'gmbhcokg']],
  ['GmbH & Co. KGaA', ['gmbh&cokgaa', 'gmbhcokgaa']],
  ['AG & Co. KG', ['ag&cokg', 'agcokg']],
  ['SE & Co. KG', ['se&cokg', 'secokg']],
  ['GmbH', ['gmbh', 'gesmbh', 'gesellschaftmitbeschrankterhaftung']],
  ['gGmbH', ['ggmbh']],
  ['UG', ['ug', 'ughaftungsbeschrankt']],
  ['AG', ['ag', 'aktiengesellschaft']],
  ['KG', ['kg', 'kommanditgesellschaft']],
  ['KGaA', ['kgaa']],
  ['OHG', ['ohg']],
  ['GbR', ['gbr']],
  ['e.K.', ['ek', 'ekfm', 'ekfr']],
  ['e.V.', ['ev']],
  ['eG', ['eg']],
  ['SE', ['se', 'societaseuropaea']],
  ['Ltd', ['ltd', 'limited']],
  ['Pty Ltd', ['ptyltd', 'proprietarylimited']],
  ['Pte Ltd', ['pteltd']],
  ['Pvt Ltd', ['pvtltd', 'privatelimited']],
  ['Co. Ltd', ['coltd', 'companylimited']],
  ['Sdn Bhd', ['sdnbhd']],
  ['PLC', ['plc', 'publiclimitedcompany']],
  ['LLP', ['llp']],
  ['LP', ['lp']],
  ['Inc', ['inc', 'incorporated']],
  ['LLC', ['llc']],
  ['Corp', ['corp', 'corporation']],
  ['Co', ['co', 'company']],
  ['SA', ['sa', 'societeanonyme', 'sociedadanonima']],
  ['SA de CV', ['sadecv']],
  ['SAS', ['sas', 'societeparactionssimplifiee']],
  ['SASU', ['sasu']],
  ['SARL', ['sarl', 'societearesponsabilitelimitee']],
  ['EURL', ['eurl']],
  ['SNC', ['snc']],
  ['SL', ['sl']],
  ['SLU', ['slu']],
  ['BV', ['bv']],
  ['NV', ['nv']],
  ['VOF', ['vof']],
  ['BVBA', ['bvba']],
  ['SRL', ['srl', 'sprl']],
  ['SpA', ['spa']],
  ['Sagl', ['sagl']],
  ['Oy', ['oy']],
  ['Oyj', ['oyj']],
  ['AB', ['ab', 'abpubl']],
  ['AS', ['as']],
  ['ASA', ['asa']],
  ['ApS', ['aps']],
  ['Sp. z o.o.', ['spzoo']],
  ['s.r.o.', ['sro']],
  ['Kft', ['kft']],
  ['Zrt', ['zrt']],
  ['Nyrt', ['nyrt']],
  ['d.o.o.', ['doo']],
  ['OÜ', ['ou']],
  ['AE', ['ae']],
  ['EPE', ['epe']],
  ['IKE', ['ike']],
  ['Lda', ['lda']],
  ['Ltda', ['ltda']],
  ['KK', ['kk', 'kabushikikaisha']],
];

const BY_COMPACT: ReadonlyMap<string, string> = new Map(
  LEGAL_FORMS.flatMap(([canonical, variants]) => variants.map((v) => [v, canonical] as const)),
);
const MAX_WORDS = 5;
const MAX_FORMS = 2;

/** Lower case, accents removed, and . , / ( ) ' - and spaces dropped: "S.à r.l." → "sarl". */
export function compactWord(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[.,/()'’\-\s]/g, '');
}

export interface LegalFormSplit {
  /** The name without the legal form (trailing commas and "&" removed). */
  readonly base: string;
  /** Canonical legal form(s), e.g. "GmbH & Co. KG", "Corp Ltd"; absent when none was found. */
  readonly legalForm?: string;
}

/** Splits the trailing legal form off a cleaned name. A name that is only a legal form is kept whole. */
export function splitLegalForm(name: string): LegalFormSplit {
  let words = name
    .replace(/,(?=\S)/g, ', ')
    .split(' ')
    .filter((w) => w !== '');
  const found: string[] = [];
  for (let round = 0; round < MAX_FORMS; round++) {
    let matched: { form: string; count: number } | undefined;
    for (let count = Math.min(MAX_WORDS, words.length - 1); count >= 1; count--) {
      const form = BY_COMPACT.get(compactWord(words.slice(-count).join('')));
      if (form !== undefined) {
        matched = { form, count };
        break;
      }
    }
    if (matched === undefined) break;
    found.unshift(matched.form);
    words = words.slice(0, -matched.count);
    while (words.length > 1 && /^[,&+]$|^(and|und)$/i.test(words.at(-1) ?? '')) words = words.slice(0, -1);
  }
  const base = words.join(' ').replace(/[\s,;]+$/, '');
  return found.length === 0 ? { base } : { base, legalForm: found.join(' ') };
}
