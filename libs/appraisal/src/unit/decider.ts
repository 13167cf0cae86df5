import type { UnitCommand } from '../commands';
import type { Decider } from '../decider';
import type { UnitEvent } from '../events';
import { decideUnit } from './decide';
import { evolveUnit, initialUnitState, type UnitState } from './state';

/** One unit in one year = one stream `unit-<unitId>-<year>`. */
export const unitDecider: Decider<UnitCommand, UnitEvent, UnitState> = {
  initialState: initialUnitState,
  evolve: evolveUnit,
  decide: decideUnit,
};
