// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ComputeUnits} from "./libraries/ComputeUnits.sol";

/// @title LeaseEscrowUnits
/// @notice The escrow's pure helpers, exposed so that off-chain code (the settler, tests, other
/// languages) can pin its encodings and money rules to the contract's own: the packed settlement
/// entry and the lock/charge formulas of docs/units-and-money.md. No storage, no state.
abstract contract LeaseEscrowUnits {
    /// @notice Packs one settlement entry: `leaseId | usage << 64 | verdict << 192`.
    function packSettlementEntry(uint64 leaseId, uint128 usage, uint8 verdict) external pure returns (uint256) {
        return uint256(leaseId) | (uint256(usage) << 64) | (uint256(verdict) << 192);
    }

    /// @notice Unpacks one settlement entry (see {packSettlementEntry}).
    function unpackSettlementEntry(uint256 entry) external pure returns (uint64 leaseId, uint128 usage, uint8 verdict) {
        return (uint64(entry), uint128(entry >> 64), uint8(entry >> 192));
    }

    /// @notice ceil(mNCU × maxDurationSec × price / 3,600,000).
    function lockAmountOf(uint64 milliNcu, uint32 maxDurationSec, uint96 pricePerNcuHour) external pure returns (uint256) {
        return ComputeUnits.lockAmount(milliNcu, maxDurationSec, pricePerNcuHour);
    }

    /// @notice floor(usage × price / 3,600,000).
    function chargeOf(uint128 usage, uint96 pricePerNcuHour) external pure returns (uint256) {
        return ComputeUnits.charge(usage, pricePerNcuHour);
    }
}
