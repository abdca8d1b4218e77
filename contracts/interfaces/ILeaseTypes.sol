// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ILeaseTypes
/// @notice Types shared by LeaseEscrow, its tests and its off-chain bindings.
interface ILeaseTypes {
    /// @notice A consumer's signed bid (EIP-712 type `Bid`, domain "ComputeMarket" / "1").
    struct Bid {
        address consumer;
        bytes32 jobSpecHash;
        uint8 computeType;
        uint8 grade;
        uint64 milliNcu;
        uint256 maxPricePerNcuHour;
        uint32 maxDurationSec;
        uint16 minUptimeBps;
        bytes32 constraintsHash;
        uint256 nonce;
        uint64 deadline;
    }

    /// @notice Where a lease is in its life. A `Proposed` lease whose batch is finalized reads as `Settled`.
    enum LeaseState {
        None,
        Open,
        Proposed,
        Disputed,
        Resolved,
        Settled,
        Reclaimed
    }

    /// @notice SLA verdicts. Only `Breached` pays the penalty; `ConsumerFault` pays like `Met`.
    enum Verdict {
        Met,
        Breached,
        ConsumerFault
    }

    /// @notice A settlement batch's status.
    enum BatchStatus {
        None,
        Pending,
        Finalized
    }

    /// @notice A lease as the views return it.
    struct LeaseView {
        address consumer;
        address provider;
        uint256 offerId;
        uint64 milliNcu;
        uint256 pricePerNcuHour;
        uint64 startTime;
        uint32 maxDurationSec;
        uint16 penaltyBps;
        uint256 lockAmount;
        LeaseState state;
        uint256 batchId;
    }

    /// @notice A lease in LeaseEscrow storage: slot 0 is everything settlement bounds need, slot 1 who pays and at what price.
    struct Lease {
        uint64 milliNcu;
        uint40 startTime;
        uint32 maxDurationSec;
        uint48 offerId;
        uint40 batchId;
        uint16 penaltyBps;
        LeaseState state;
        address consumer;
        uint96 pricePerNcuHour;
    }

    /// @notice An account: free balance (credits included), locked funds, and (for providers) open leases.
    struct Account {
        uint128 balance;
        uint96 locked;
        uint32 openLeases;
    }

    /// @notice A settlement batch: commitment to its entries, end of its challenge window, status,
    /// and the fee rate in force when it was proposed.
    struct Batch {
        bytes24 commitment;
        uint40 windowEnd;
        BatchStatus status;
        uint16 feeBps;
    }

    /// @notice An arbiter's ruling on a disputed lease.
    struct Resolution {
        uint128 usage;
        uint8 verdict;
        uint16 feeBps;
    }
}
