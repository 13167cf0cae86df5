import type { ServiceCommand } from '../commands';
import type { Decider } from '../decider';
import type { ServiceEvent } from '../events';
import { decideService } from './decide';
import { evolveService, initialServiceState, type ServiceState } from './state';

/** One service of one unit in one year = one stream `service-<unitId>-<year>-<serviceId>`. */
export const serviceDecider: Decider<ServiceCommand, ServiceEvent, ServiceState> = {
  initialState: initialServiceState,
  evolve: evolveService,
  decide: decideService,
};
