import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  appraisalDecider,
  appraisalStreamId,
  unitDecider,
  unitFacts,
  unitStreamId,
  type AppraisalCommand,
  type AppraisalState,
  type UnitCommand,
  type UnitFacts,
} from '@ledger/appraisal';
import type { RequestContext } from '../platform/request-context';
import { UnitIkm } from '../units/unit-ikm';
import { UnitMembers } from '../units/unit-members';
import { CommandPath, type CommandOutcome } from './command-path';

/**
 * One bus message per aggregate. A use case (a route in its feature folder) maps its DTO to a
 * domain command and sends it here; the handler is the generic command path on that stream.
 */
export class RunAppraisalCommand extends Command<CommandOutcome> {
  constructor(
    readonly appraisalId: string,
    readonly command: AppraisalCommand,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

export class RunUnitCommand extends Command<CommandOutcome> {
  constructor(
    readonly unitId: string,
    readonly year: number,
    readonly command: UnitCommand,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

/**
 * The appraisal decisions that depend on the unit stream get its facts here, read from the store
 * (never from the client: the controllers map DTOs to commands without these fields).
 */
@CommandHandler(RunAppraisalCommand)
export class RunAppraisalCommandHandler implements ICommandHandler<RunAppraisalCommand> {
  constructor(private readonly path: CommandPath) {}

  execute({ appraisalId, command, ctx }: RunAppraisalCommand): Promise<CommandOutcome> {
    return this.path.execute(appraisalStreamId(appraisalId), appraisalDecider, command, ctx, (state) => this.withUnitFacts(command, state));
  }

  /** Only these three decisions read the unit; every other command goes to its decision unchanged. */
  private async withUnitFacts(command: AppraisalCommand, state: AppraisalState): Promise<AppraisalCommand> {
    if (command.type === 'OpenAppraisal') {
      return { ...command, data: { ...command.data, unit: await this.unit(command.data.unitId, command.data.year) } };
    }
    if (command.type === 'CorrectAppraisalUnit') {
      const [unit, currentUnit] = [await this.unit(command.data.unitId, state.year), await this.unit(state.unitId, state.year)];
      return { ...command, data: { ...command.data, unit, currentUnit } };
    }
    if (command.type === 'RatePerformance') {
      return { ...command, data: { ...command.data, unit: await this.unit(state.unitId, state.year) } };
    }
    return command;
  }

  private async unit(unitId: unknown, year: unknown): Promise<UnitFacts | null> {
    if (typeof unitId !== 'string' || typeof year !== 'number') return null;
    return unitFacts((await this.path.fold(unitStreamId(unitId, year), unitDecider)).state);
  }
}

/** A change of the organisational predicate is judged on what the unit's members are rated. */
@CommandHandler(RunUnitCommand)
export class RunUnitCommandHandler implements ICommandHandler<RunUnitCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly members: UnitMembers,
    private readonly ikm: UnitIkm,
  ) {}

  execute({ unitId, year, command, ctx }: RunUnitCommand): Promise<CommandOutcome> {
    return this.path.execute(unitStreamId(unitId, year), unitDecider, command, ctx, async (state) => {
      if (command.type !== 'SetOrganisationalPredicate' || !state.opened) return command;
      const members = await this.members.snapshot(unitId, year, command.data.period);
      const unitIkm = command.data.citeIkm === true ? await this.ikm.of(state, command.data.period) : undefined;
      return { ...command, data: { ...command.data, members, ...(unitIkm !== undefined && { unitIkm }) } };
    });
  }
}
