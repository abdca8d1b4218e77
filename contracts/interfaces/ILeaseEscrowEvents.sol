// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILeaseTypes} from "./ILeaseTypes.sol";

/// @title ILeaseEscrowEvents
/// @notice Custom errors and events of LeaseEscrow (the ABI the indexer and bindings decode).
interface ILeaseEscrowEvents is ILeaseTypes {
    // ---------------------------------------------------------------- errors

    error LeaseEscrowZeroAddress();
    error LeaseEscrowZeroAmount();
    error LeaseEscrowInsufficientBalance(uint256 available, uint256 required);
    error LeaseEscrowBidExpired(uint64 deadline);
    error LeaseEscrowInvalidBid();
    error LeaseEscrowBidGradeInvalid(uint8 grade, uint8 expected);
    error LeaseEscrowInvalidSignature(address consumer);
    error LeaseEscrowNonceUsed(address consumer, uint256 nonce);
    error LeaseEscrowPriceAboveBid(uint256 price, uint256 maxPrice);
    error LeaseEscrowPriceBelowOffer(uint256 price, uint256 offerPrice);
    error LeaseEscrowPriceTooLarge(uint256 price);
    error LeaseEscrowOfferIdTooLarge(uint256 offerId);
    error LeaseEscrowComputeTypeMismatch(uint8 bidType, uint8 offerType);
    error LeaseEscrowGradeMismatch(uint8 bidGrade, uint8 offerGrade);
    error LeaseEscrowUptimeTooLow(uint16 minUptimeBps, uint16 offerUptimeBps);
    error LeaseEscrowDurationTooLong(uint32 maxDurationSec, uint32 offerMaxDurationSec);
    error LeaseEscrowEmptyBatch();
    error LeaseEscrowBatchTooLarge(uint256 size, uint256 maxSize);
    error LeaseEscrowInvalidEntry(uint256 index, uint256 entry);
    error LeaseEscrowLeaseNotOpen(uint256 leaseId, LeaseState state);
    error LeaseEscrowInvalidVerdict(uint256 leaseId, uint8 verdict);
    error LeaseEscrowUsageExceedsBound(uint256 leaseId, uint256 usage, uint256 maxUsage);
    error LeaseEscrowBatchNotPending(uint256 batchId);
    error LeaseEscrowChallengeWindowOpen(uint256 batchId, uint64 windowEnd);
    error LeaseEscrowChallengeWindowClosed(uint256 leaseId, uint64 windowEnd);
    error LeaseEscrowCommitmentMismatch(uint256 batchId);
    error LeaseEscrowNotLeaseParty(uint256 leaseId, address caller);
    error LeaseEscrowLeaseNotProposed(uint256 leaseId, LeaseState state);
    error LeaseEscrowLeaseNotDisputed(uint256 leaseId, LeaseState state);
    error LeaseEscrowLeaseNotResolved(uint256 leaseId, LeaseState state);
    error LeaseEscrowLeaseInPendingProposal(uint256 leaseId, uint256 batchId);
    error LeaseEscrowLeaseNotReclaimable(uint256 leaseId, LeaseState state);
    error LeaseEscrowReclaimTooEarly(uint256 leaseId, uint64 reclaimableAt);
    error LeaseEscrowFeeTooHigh(uint16 feeBps, uint16 maxFeeBps);
    error LeaseEscrowPeriodTooLong(uint64 period, uint64 maxPeriod);

    // ---------------------------------------------------------------- events

    /// @notice Emitted when tokens are deposited into `account`'s balance.
    event Deposited(address indexed account, uint256 amount);
    /// @notice Emitted when `account` withdraws from its balance.
    event Withdrawn(address indexed account, uint256 amount);
    /// @notice Emitted when a lease is opened from a signed bid. `jobSpecHash` is what the consumer
    /// signed: a provider checks its job spec against it.
    event LeaseOpened(
        uint256 indexed leaseId,
        address indexed consumer,
        address indexed provider,
        uint256 offerId,
        bytes32 jobSpecHash,
        uint8 computeType,
        uint8 grade,
        uint64 milliNcu,
        uint256 pricePerNcuHour,
        uint32 maxDurationSec,
        uint256 lockAmount,
        uint64 startTime,
        uint256 nonce
    );
    /// @notice Emitted when a consumer cancels a signed bid by burning its nonce.
    event BidCancelled(address indexed consumer, uint256 nonce);
    /// @notice Emitted when the SETTLER proposes a batch; `entries` is the exact list finalize needs.
    /// Each entry is `leaseId | usage << 64 | verdict << 192`.
    event SettlementProposed(uint256 indexed batchId, uint64 windowEnd, bytes24 commitment, uint256[] entries);
    /// @notice Emitted when a party disputes its lease's proposed settlement; the lease leaves the batch.
    event LeaseDisputed(uint256 indexed leaseId, uint256 indexed batchId, address indexed by);
    /// @notice Emitted when the ARBITER rules on a disputed lease.
    event DisputeResolved(uint256 indexed leaseId, uint128 usage, uint8 verdict);
    /// @notice Emitted when a batch is finalized: every entry whose lease was not disputed is settled
    /// exactly as proposed. `settled` counts them; `totalCharge` sums their charges.
    event BatchFinalized(uint256 indexed batchId, uint256 settled, uint256 totalCharge);
    /// @notice Emitted when a single (resolved) lease is settled.
    event LeaseSettled(uint256 indexed leaseId, uint256 charge, uint256 fee, uint256 refund, uint256 penalty);
    /// @notice Emitted when a breach penalty slashed from the provider's stake is credited to the consumer.
    event PenaltyPaid(uint256 indexed leaseId, address indexed provider, address indexed consumer, uint256 amount);
    /// @notice Emitted when an unsettled lease's lock goes back to its consumer.
    event LeaseReclaimed(uint256 indexed leaseId, address indexed consumer, uint256 amount);
    /// @notice Emitted when the admin changes the fee rate.
    event FeeBpsUpdated(uint16 feeBps);
    /// @notice Emitted when the admin changes the fee recipient.
    event FeeRecipientUpdated(address indexed feeRecipient);

}
