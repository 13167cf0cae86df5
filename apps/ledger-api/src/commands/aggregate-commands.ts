import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  appraisalDecider,
  appraisalStreamId,
  unitDecider,
  unitStreamId,
  type AppraisalCommand,
  type UnitCommand,
} from '@ledger/appraisal';
import type { RequestContext } from '../platform/request-context';
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

@CommandHandler(RunAppraisalCommand)
export class RunAppraisalCommandHandler implements ICommandHandler<RunAppraisalCommand> {
  constructor(private readonly path: CommandPath) {}

  execute({ appraisalId, command, ctx }: RunAppraisalCommand): Promise<CommandOutcome> {
    return this.path.execute(appraisalStreamId(appraisalId), appraisalDecider, command, ctx);
  }
}

@CommandHandler(RunUnitCommand)
export class RunUnitCommandHandler implements ICommandHandler<RunUnitCommand> {
  constructor(private readonly path: CommandPath) {}

  execute({ unitId, year, command, ctx }: RunUnitCommand): Promise<CommandOutcome> {
    return this.path.execute(unitStreamId(unitId, year), unitDecider, command, ctx);
  }
}
