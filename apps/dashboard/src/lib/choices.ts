/** The id of the only item of a list, which a form can choose for the user; else undefined. */
export function soleChoice(items: readonly { id: string }[]): string | undefined {
  return items.length === 1 ? items[0]?.id : undefined;
}

/** A partnership as the forms list it: "German city – partner city". */
export function partnershipName(p: {
  germanCity: { name: string };
  partnerCity: { name: string };
}): string {
  return `${p.germanCity.name} – ${p.partnerCity.name}`;
}

/** A record just saved, said with a link to the page of its partnership. */
export interface SavedRecord {
  kind: 'exchange' | 'outcome';
  title: string;
  partnershipId: string;
  partnership: string;
}

interface NamedPartnership {
  id: string;
  germanCity: { name: string };
  partnerCity: { name: string };
}

/** What a form says about the record it saved, naming its partnership as the form lists it. */
export function savedRecord(
  kind: SavedRecord['kind'],
  record: { title: string; partnership: { id: string } },
  partnerships: readonly NamedPartnership[],
): SavedRecord {
  const partnership = partnerships.find((p) => p.id === record.partnership.id);
  return {
    kind,
    title: record.title,
    partnershipId: record.partnership.id,
    partnership: partnership ? partnershipName(partnership) : '',
  };
}
