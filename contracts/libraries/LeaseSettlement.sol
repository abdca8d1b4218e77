// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ILeaseTypes} from "../interfaces/ILeaseTypes.sol";
import {ILeaseEscrowEvents} from "../interfaces/ILeaseEscrowEvents.sol";
import {ComputeUnits} from "./ComputeUnits.sol";

/// @title LeaseSettlement
/// @notice Settlement arithmetic and the aggregation of LeaseEscrow.finalize: a batch commits to its
/// entries' calldata, and consecutive leases of one consumer / provider / offer are credited,
/// counted and released with one write each.
library LeaseSettlement {
    /// @dev Running aggregates of finalize: consecutive leases of one consumer / provider / offer
    /// are credited / counted / released with one write each.
    struct Run {
        address consumer;
        uint256 consumerCredit;
        uint256 consumerUnlock;
        address provider;
        uint256 providerCredit;
        uint256 providerLeases;
        uint256 offerId;
        uint256 offerMilli;
        uint256 offers;
        uint256 fees;
        uint256 totalCharge;
        uint256 settled;
        uint256 feeBps;
        uint256[] offerIds;
        uint256[] amounts;
    }

    /// @dev Appends the current offer run to the release arrays.
    function flushOffer(Run memory run) internal pure {
        if (run.offerMilli == 0) return;
        run.offerIds[run.offers] = run.offerId;
        run.amounts[run.offers] = run.offerMilli;
        unchecked {
            // at most one flush per entry, and offerIds has one slot per entry.
            run.offers += 1;
        }
        run.offerMilli = 0;
    }

    /// @dev Credits the current consumer run (refunds + penalties) and unlocks its locks, in one write.
    function flushConsumer(Run memory run, mapping(address => ILeaseTypes.Account) storage accounts) internal {
        if (run.consumerUnlock == 0) return;
        ILeaseTypes.Account storage a = accounts[run.consumer];
        a.balance += SafeCast.toUint128(run.consumerCredit);
        a.locked -= uint96(run.consumerUnlock); // Σ locks of this consumer's open leases <= locked
        run.consumerCredit = 0;
        run.consumerUnlock = 0;
    }

    /// @dev Credits the current provider run (charges − fees) and closes its leases, in one write.
    function flushProvider(Run memory run, mapping(address => ILeaseTypes.Account) storage accounts) internal {
        if (run.providerLeases == 0) return;
        ILeaseTypes.Account storage a = accounts[run.provider];
        a.balance += SafeCast.toUint128(run.providerCredit);
        a.openLeases -= uint32(run.providerLeases); // each was counted when its lease opened
        run.providerCredit = 0;
        run.providerLeases = 0;
    }

    /// @dev The most usage (mNCU·s) a settlement may claim now: milliNcu × (min(now, start + maxDuration) − start).
    function maxUsage(ILeaseTypes.Lease storage l) internal view returns (uint256) {
        uint256 start = l.startTime;
        uint256 end = start + l.maxDurationSec;
        uint256 nowTs = block.timestamp < end ? block.timestamp : end;
        return nowTs > start ? uint256(l.milliNcu) * (nowTs - start) : 0;
    }

    /// @dev Reverts unless `verdict` is valid and `usage` is within {maxUsage}.
    function checkUsage(uint256 leaseId, ILeaseTypes.Lease storage l, uint256 usage, uint8 verdict) internal view {
        if (verdict > uint8(ILeaseTypes.Verdict.ConsumerFault)) {
            revert ILeaseEscrowEvents.LeaseEscrowInvalidVerdict(leaseId, verdict);
        }
        uint256 bound = maxUsage(l);
        if (usage > bound) revert ILeaseEscrowEvents.LeaseEscrowUsageExceedsBound(leaseId, usage, bound);
    }

    /// @dev charge, lock, fee and wanted penalty (before the stake cap) of settling `l`.
    function amounts(ILeaseTypes.Lease storage l, uint256 usage, uint8 verdict, uint256 feeRate)
        internal
        view
        returns (uint256 charge, uint256 lock, uint256 fee, uint256 penaltyWanted)
    {
        uint256 price = l.pricePerNcuHour;
        lock = ComputeUnits.lockAmount(l.milliNcu, l.maxDurationSec, price);
        charge = ComputeUnits.charge(usage, price); // usage <= mNCU × maxDuration, so charge <= lock
        fee = ComputeUnits.fee(charge, feeRate);
        if (verdict == uint8(ILeaseTypes.Verdict.Breached)) penaltyWanted = ComputeUnits.penalty(lock, l.penaltyBps);
    }

    /// @dev 192-bit Keccak-256 of the entries' calldata bytes (one word per entry).
    function commitment(uint256[] calldata entries) internal pure returns (bytes24 c) {
        assembly ("memory-safe") {
            let size := shl(5, entries.length)
            let ptr := mload(0x40)
            calldatacopy(ptr, entries.offset, size)
            // bytes24 is left-aligned: keep the high 24 bytes, clear the low 8.
            c := and(keccak256(ptr, size), not(0xffffffffffffffff))
        }
    }
}
