// Harbor's cron check for scheduled triggers: robfig/cron v3 with exactly six fields (utils.CronParser()).

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS = Object.fromEntries(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].map((m, i) => [m, i + 1]));
const DAYS = Object.fromEntries(["sun", "mon", "tue", "wed", "thu", "fri", "sat"].map((d, i) => [d, i]));

/** Second, minute, hour, day of month, month, day of week: the field order of Harbor's parser. */
const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS },
];

/** strconv.Atoi followed by cron's "negative number not allowed". */
function nonNegativeInt(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function intOrName(s: string, b: Bounds): number | undefined {
  return b.names?.[s.toLowerCase()] ?? nonNegativeInt(s);
}

/** cron's getRange: `*`, `?`, `a`, `a-b`, each with an optional `/step`. */
function validRange(expr: string, b: Bounds): boolean {
  const rangeAndStep = expr.split("/");
  const lowAndHigh = rangeAndStep[0]!.split("-");
  let start: number | undefined;
  let end: number | undefined;
  if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
    start = b.min;
    end = b.max;
  } else {
    if (lowAndHigh.length > 2) return false;
    start = intOrName(lowAndHigh[0]!, b);
    end = lowAndHigh.length === 2 ? intOrName(lowAndHigh[1]!, b) : start;
  }
  if (start === undefined || end === undefined || rangeAndStep.length > 2) return false;
  let step = 1;
  if (rangeAndStep.length === 2) {
    const parsed = nonNegativeInt(rangeAndStep[1]!);
    if (parsed === undefined) return false;
    step = parsed;
    // "N/step" means "N-max/step".
    if (lowAndHigh.length === 1) end = b.max;
  }
  return start >= b.min && end <= b.max && start <= end && step > 0;
}

function validTimeZone(name: string): boolean {
  if (name === "" || name === "UTC" || name === "Local") return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether Harbor's `utils.CronParser().Parse(spec)` accepts `spec`: six whitespace-separated fields
 * (seconds first), an optional `TZ=`/`CRON_TZ=` prefix, no `@` descriptors.
 */
export function isValidHarborCron(spec: string): boolean {
  if (spec === "") return false;
  let rest = spec;
  if (rest.startsWith("TZ=") || rest.startsWith("CRON_TZ=")) {
    const space = rest.indexOf(" ");
    // Without a space Go slices out of range and the request fails; either way it is not a valid schedule.
    if (space < 0 || !validTimeZone(rest.slice(rest.indexOf("=") + 1, space))) return false;
    rest = rest.slice(space).trim();
  }
  if (rest.startsWith("@")) return false;
  const fields = rest.split(/\s+/).filter((f) => f !== "");
  if (fields.length !== FIELDS.length) return false;
  return fields.every((field, i) => field.split(",").filter((e) => e !== "").every((expr) => validRange(expr, FIELDS[i]!)));
}
