// A fitted isotonic calibrator: fit, apply and JSON round-trip of one step table.
import { applyIsotonic, applyIsotonicAll } from './applyIsotonic.js';
import { fitIsotonic } from './fitIsotonic.js';
import {
  checkIsotonicTable,
  isotonicTableFromJson,
  isotonicTableToJson,
  type IsotonicTable,
  type IsotonicTableJson,
} from './isotonicTable.js';

export class IsotonicCalibrator {
  readonly table: IsotonicTable;

  constructor(table: IsotonicTable) {
    this.table = checkIsotonicTable(table);
  }

  static fit(scores: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): IsotonicCalibrator {
    return new IsotonicCalibrator(fitIsotonic(scores, labels, weights));
  }

  static fromJSON(json: unknown): IsotonicCalibrator {
    return new IsotonicCalibrator(isotonicTableFromJson(json));
  }

  apply(score: number): number {
    return applyIsotonic(this.table, score);
  }

  applyAll(scores: ArrayLike<number>): Float64Array {
    return applyIsotonicAll(this.table, scores);
  }

  toJSON(): IsotonicTableJson {
    return isotonicTableToJson(this.table);
  }
}
