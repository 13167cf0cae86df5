import type { ServiceEvent } from '../events';
import { ignoreUnknownEvent } from '../exhaustive';
import type { Period } from '../vocabulary';

export interface IssuedCode {
  officerId: string | null;
  period: Period;
  expiresAt: string;
  used: boolean;
}

export interface ReceivedFeedback {
  officerId: string | null;
  hasComment: boolean;
}

/** One service in one year: the codes it issued (by hash) and the feedback they brought. */
export interface ServiceState {
  codes: Record<string, IssuedCode>;
  feedback: Record<string, ReceivedFeedback>;
}

export const initialServiceState = (): ServiceState => ({ codes: {}, feedback: {} });

export function evolveService(state: ServiceState, event: ServiceEvent): ServiceState {
  switch (event.type) {
    case 'FeedbackCodeIssued': {
      const { codeHash, officerId, period, expiresAt } = event.data;
      return { ...state, codes: { ...state.codes, [codeHash]: { officerId: officerId ?? null, period, expiresAt, used: false } } };
    }
    case 'PublicFeedbackReceived': {
      const { codeHash, feedbackId, officerId, comment } = event.data;
      const code = state.codes[codeHash] as IssuedCode | undefined;
      return {
        codes: code === undefined ? state.codes : { ...state.codes, [codeHash]: { ...code, used: true } },
        feedback: { ...state.feedback, [feedbackId]: { officerId: officerId ?? null, hasComment: comment !== undefined } },
      };
    }
    case 'PublicFeedbackResponded':
      return state;
    default:
      return ignoreUnknownEvent(state, event);
  }
}
