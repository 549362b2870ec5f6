// The search normalisation is a shared rule (src/shared/domain/search.ts); the store reads it from there.
export { digitsOnly, foldText, PHONE_SUFFIX_MIN, reverseDigits } from '../../shared/domain/search';
