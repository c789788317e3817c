import type { IndicatorStatus } from '../gql/graphql.ts';
import type { Sign } from './signs.ts';

/** How an indicator status is shown: an i18n key for its label, a colour and an icon. */
export interface StatusPresentation {
  labelKey: `status.${IndicatorStatus}`;
  /** Foreground colour; each reaches at least 4.5:1 against white. */
  colour: string;
  /** Light background that keeps the foreground at 4.5:1 or more. */
  background: string;
  /** A sign so that the status never relies on colour alone (drawn by SignIcon). */
  icon: Sign;
}

const PRESENTATION: Record<IndicatorStatus, StatusPresentation> = {
  ON_TRACK: {
    labelKey: 'status.ON_TRACK',
    colour: '#1b6e34',
    background: '#e6f4ea',
    icon: 'check',
  },
  AT_RISK: {
    labelKey: 'status.AT_RISK',
    colour: '#8a4b00',
    background: '#fff4e0',
    icon: 'exclamation',
  },
  OFF_TRACK: {
    labelKey: 'status.OFF_TRACK',
    colour: '#b3261e',
    background: '#fdecea',
    icon: 'cross',
  },
  // No data is not failure (docs/methodology.md, "Targets, progress and status"): a neutral
  // blue-grey, apart from the warning colours and from "no target".
  NO_DATA: { labelKey: 'status.NO_DATA', colour: '#3d5370', background: '#eef2f7', icon: 'circle' },
  NO_TARGET: {
    labelKey: 'status.NO_TARGET',
    colour: '#55595f',
    background: '#f1f3f4',
    icon: 'dash',
  },
};

/** Label key, colours and icon for an indicator status; unknown values fall back to NO_TARGET. */
export function presentStatus(
  status: IndicatorStatus | string | null | undefined,
): StatusPresentation {
  return PRESENTATION[(status ?? 'NO_TARGET') as IndicatorStatus] ?? PRESENTATION.NO_TARGET;
}

/** Every status in reading order (best first), for legends. */
export const STATUSES: readonly IndicatorStatus[] = [
  'ON_TRACK',
  'AT_RISK',
  'OFF_TRACK',
  'NO_DATA',
  'NO_TARGET',
];
