/**
 * PERSON is best effort: a capitalised word run counts as a name when it starts with a known given name,
 * follows a cue ("my name is", "patient", "Dear"...), or stands before an e-mail address in <> or ().
 * Known gaps: lower-case names, single-word names without a cue, names unlike the lexicon in cue-less prose.
 */

// Common given names across languages; a lexicon, not a list of anyone in particular.
const GIVEN = `
aaron abby abdul abdullah abel abigail adam adebayo adele adrian adriana agnes ahmed ahmad aidan aiko aisha akira alan alba albert alberto
alejandra alejandro aleksandr alex alexander alexandra alexei alexis alfonso alfred ali alice alicia alina alison amanda amara amelia amina
amir amit amy ana anastasia anders andre andrea andreas andrei andrew andrzej angela angelo anika anil anita ann anna anne annika anton
antonio anya aoife arjun arnav arne arthur arturo asha ashley astrid aurelie ava axel ayesha barbara beatriz ben benedikt benjamin bernard
beth bianca bilal bill bjorn björn bob bogdan boris brandon brenda brian bridget bruno camille carla carlo carlos carmen carol caroline
carolina catherine cecilia charles charlie charlotte chen chiara chidi chloe chloé chris christian christina christine christopher claire
clara claudia colin connor conor cristina daniel daniela daniele dagmar dan dana daniela dario david davide deborah deepak denis dennis
derek diana diego dieter dimitri dmitri dominik donald dorothy dylan edward elena eleanor elias elif elijah elisa elizabeth ella ellen
emily emma emre enrique eric erik erika ernesto esther ethan eva evan evelyn fabian fabio farah fatima fatma federico felix fernando
filip fiona florian francesca francesco francisco franck françois francois frank franz freya frida gabriel gabriela gareth gary george
georg gerhard giorgio giovanni giulia giuseppe gokhan gökhan gonzalo grace greta gregory gustavo hana hannah hans harald harry hassan
heather heinrich helen helena henrik henry hiroshi hugo ibrahim ian ida ifeoma igor ines inés ingrid irina isabel isabella isak ivan
jack jacob jakob jamal james jan jana jane janet jason javier jean jennifer jens jessica jiang jin joan joanna joao joão joe johan johann
johanna john jonas jonathan jorge jose josé joseph josh joshua juan julia julian julie julien jun justin kai karen karim karin karl
kasia katarzyna kate katherine kathleen katie kemal ken kenji kevin khalid kim klaus kofi kristina krzysztof kumar lara lars laura lauren
leah lena leo leon leonardo liam lily lina linda lisa liu lorenzo louis louise luca lucas lucia lucía luis luisa lukas luke magnus
mai malik manuel marco marcus margaret maria maría marie marina mario mark marta martin martina mary mateo mathilde matteo matthew
matthias max maxim maya mehmet mei mia michael michal michał michelle miguel mikhail mila ming mohamed mohammed mohammad monica
natalia natasha nathan neha nicolas nicole niels nikita nikolai nina noah noor nora nuno olga oliver olivia omar oscar pablo paolo
patricia patrick paul paula pedro peter petra philip philipp pierre pietro pooja priya quentin rachel rafael rahul raj rajesh ramon
raquel rebecca ricardo richard rita robert roberto rohan roman rosa ruth ryan sabine sakura sam samantha samir samuel sandra sanjay
sara sarah sasha sebastian sergei sergio shreya simon simone sofia sofía sophie soren søren stefan stefano stephanie steven sunil
susan svetlana sven takeshi tanaka tariq tatiana teresa thomas tim timo tobias tom tomas tomasz tomás tony ulrich valentina vera
victor victoria vijay viktor vincent vivek wei wen william wolfgang xavier ximena yan yara yasmin yuki yusuf yuri zainab zara zeynep
zoe zoé zofia
`;
export const GIVEN_NAMES: ReadonlySet<string> = new Set(GIVEN.split(/\s+/).filter(Boolean));

/** Capitalised words that begin sentences or titles and are never names on their own. */
const STOP = new Set(
  `a an the this that these those my our your his her their its i we you he she they it please hello hi hey dear thanks thank regards
  patient customer client user employee contact mr mrs ms miss dr prof sir madam team all everyone note summary summarize summarise
  draft write rewrite translate extract compose classify explain debug why what when where who how is are was be can could would should
  ticket invoice order card phone email iban ssn ref re fw fwd subject from to for and or but with by on in at of as if then else
  monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november
  december assistant system human ai openai sure here nothing ignore new old yes no ok okay`.split(/\s+/),
);

const PARTICLES = 'van|von|der|den|de|del|della|di|da|du|le|la|dos|das|ter|ten|bin|ibn|al|el|Van|Von|Der|Den|De|Del|Di|Da|Du|Le|La|Ó|Ní|Nic|Mac|Mc|St\\.';
const WORD = "\\p{Lu}(?:['’]\\p{Lu})?[\\p{Ll}\\p{M}]{1,24}(?:-\\p{Lu}[\\p{Ll}\\p{M}]{1,24})?";
// A run of one to four capitalised words, surname particles allowed between them; every quantifier bounded.
export const NAME_RUN = new RegExp(`(?<![\\p{L}\\p{N}_'’-])${WORD}(?:[ ](?:(?:${PARTICLES})[ ]){0,2}${WORD}){0,3}(?![\\p{L}\\p{N}])`, 'gu');
const WORD_ONE = new RegExp(`${WORD}|(?:${PARTICLES})`, 'gu');

const STRONG_CUE = /(?:\bmy name is|\bname is|\bi am|\bi['’]m|\bthis is|\bname:|\bpatient|\bcustomer|\bclient|\bmr\.?|\bmrs\.?|\bms\.?|\bmiss|\bdr\.?|\bprof\.?|\bdear|\bsigned|\bregards,?|\bsincerely,?|\bemployee|\bapplicant|\bcandidate|\btenant|\bsender|\brecipient|\bcontact)\s{1,3}$/i;
const WEAK_CUE = /(?:\bhi|\bhello|\bhey|\breply to|\bwrite to|\bemail to|\bcall|\bfor|\bto|\bfrom|\bby|\bwith|\bcc:?|\bthanks,?|\bask|\bmeet|\bphone|\bwith)\s{1,3}$/i;
const VERB_AFTER = /^,? (?:moved|lives|lived|works|worked|said|says|wrote|writes|called|emailed|joined|was born|is a|was a|reported|complained|asked)\b/;
const EMAIL_AFTER = /^\s{0,2}[<(]\s{0,2}[^\s<>()@]{1,64}@/;

const fold = (w: string) => w.toLowerCase();

export interface NameSpan {
  start: number;
  end: number;
}

/** Appends the person names found in `text`. */
export function findNames(text: string, out: NameSpan[]): void {
  NAME_RUN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = NAME_RUN.exec(text)) !== null) {
    const run = m[0];
    const base = m.index;
    const words: { w: string; s: number; e: number }[] = [];
    WORD_ONE.lastIndex = 0;
    let wm: RegExpExecArray | null;
    while ((wm = WORD_ONE.exec(run)) !== null) words.push({ w: wm[0], s: base + wm.index, e: base + wm.index + wm[0].length });
    // drop leading sentence/cue words ("Patient", "Dear", "Hello")
    let i = 0;
    while (i < words.length && STOP.has(fold(words[i]!.w))) i++;
    // and trailing particles / stop words
    let j = words.length;
    while (j > i && (STOP.has(fold(words[j - 1]!.w)) || /^(?:van|von|der|den|de|del|della|di|da|du|le|la|Ó|Ní|Nic|Mac|Mc)$/i.test(words[j - 1]!.w))) j--;
    // "Invite Maria Lopez": a sentence word before a known given name is not part of the name
    if (i < j && !GIVEN_NAMES.has(fold(words[i]!.w))) {
      for (let k = i + 1; k < j - 1; k++) if (GIVEN_NAMES.has(fold(words[k]!.w))) {
        i = k;
        break;
      }
    }
    if (j - i < 1) continue;
    const name = words.slice(i, j);
    const start = name[0]!.s;
    const end = name[name.length - 1]!.e;
    const n = name.length;
    const given = GIVEN_NAMES.has(fold(name[0]!.w));
    const before = text.slice(Math.max(0, start - 24), start);
    const strong = STRONG_CUE.test(before);
    const after = text.slice(end, end + 72);
    const emailAfter = EMAIL_AFTER.test(after) || VERB_AFTER.test(after);
    let ok = false;
    if (n >= 2) ok = given || strong || emailAfter || (n <= 3 && WEAK_CUE.test(before));
    else ok = given && (strong || emailAfter || /\b(?:hi|hello|hey|thanks,?)\s{1,3}$/i.test(before));
    if (ok) out.push({ start, end });
  }
}
