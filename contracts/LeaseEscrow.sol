// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ILeaseEscrowEvents} from "./interfaces/ILeaseEscrowEvents.sol";
import {ILeaseEscrow} from "./interfaces/ILeaseEscrow.sol";
import {IOfferBook} from "./interfaces/IOfferBook.sol";
import {IProviderRegistry} from "./interfaces/IProviderRegistry.sol";
import {ComputeUnits} from "./libraries/ComputeUnits.sol";
import {LeaseSettlement} from "./libraries/LeaseSettlement.sol";
import {LeaseEscrowUnits} from "./LeaseEscrowUnits.sol";

/// @title LeaseEscrow
/// @notice The SLA escrow of the compute market. Consumers deposit the payment token; the MATCHER
/// opens a lease from a consumer's EIP-712 signed bid and a provider's offer, locking
/// `lockAmount(mNCU, maxDuration, price)`; the SETTLER proposes settlements in batches; either
/// party can dispute inside the challenge window and the ARBITER resolves; anyone finalizes after
/// the window; if nobody settles, the consumer (or provider) reclaims the lock for the consumer.
/// Every credit lands in the account's balance and is pulled with {withdraw}.
/// @dev Storage is laid out for cheap settlement (see docs/contracts.md "Gas design"):
/// a lease is two slots; a proposal batch stores one slot (a 192-bit commitment to its calldata);
/// finalize re-reads the same calldata, never writes a lease, and aggregates consecutive
/// consumer / provider / offer runs into one storage write or release each.
/// Invariant: token.balanceOf(this) = Σ balance + Σ locked over all accounts.
contract LeaseEscrow is ILeaseEscrowEvents, ILeaseEscrow, LeaseEscrowUnits, AccessControl, Pausable, ReentrancyGuardTransient, EIP712 {
    using SafeERC20 for IERC20;

    // ---------------------------------------------------------------- constants and parameters

    /// @notice Opens leases from signed bids.
    bytes32 public constant MATCHER_ROLE = keccak256("MATCHER_ROLE");
    /// @notice Proposes settlement batches.
    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");
    /// @notice Resolves disputes.
    bytes32 public constant ARBITER_ROLE = keccak256("ARBITER_ROLE");
    /// @notice EIP-712 type hash of `Bid`.
    bytes32 public constant BID_TYPEHASH = keccak256(
        "Bid(address consumer,bytes32 jobSpecHash,uint8 computeType,uint8 grade,uint64 milliNcu,uint256 maxPricePerNcuHour,uint32 maxDurationSec,uint16 minUptimeBps,bytes32 constraintsHash,uint256 nonce,uint64 deadline)"
    );
    /// @notice Most leases in one proposal, so that finalizing any batch (even one breached lease per
    /// entry, each slashing) always fits in a block and no batch — and so no lease — can get stuck.
    uint256 public constant MAX_BATCH_SIZE = 256;
    /// @notice Upper bound of `challengePeriod` and `reclaimGrace`: 10 years.
    uint64 public constant MAX_PERIOD = 3650 days;
    /// @notice Upper bound of the fee rate: 10 %.
    uint16 public constant MAX_FEE_BPS = 1_000;

    /// @notice The payment token.
    IERC20 public immutable token;
    /// @notice The provider registry (stakes, slashing).
    IProviderRegistry public immutable registry;
    /// @notice The offer book (capacity reservations).
    IOfferBook public immutable offerBook;
    /// @notice Seconds a proposed batch can be disputed before it can be finalized.
    uint64 public immutable challengePeriod;
    /// @notice Seconds after `start + maxDuration` (or after a disputed lease's window) before reclaim.
    uint64 public immutable reclaimGrace;

    /// @notice Receives the market fee.
    address public feeRecipient;
    /// @notice Market fee in basis points of each charge.
    uint16 public feeBps;
    /// @notice Number of leases ever opened; lease ids are 1..leaseCount.
    uint64 public leaseCount;
    /// @notice Number of batches ever proposed; batch ids are 1..batchCount.
    uint40 public batchCount;

    mapping(uint256 leaseId => Lease) private _leases;
    mapping(address account => Account) private _accounts;
    mapping(uint256 batchId => Batch) private _batches;
    mapping(uint256 leaseId => Resolution) private _resolutions;
    mapping(uint256 offerId => address) private _offerProvider;
    mapping(address consumer => mapping(uint256 word => uint256 bits)) private _nonceBitmap;

    /// @param token_ payment token. @param registry_ ProviderRegistry. @param offerBook_ OfferBook.
    /// @param challengePeriod_ seconds. @param reclaimGrace_ seconds.
    /// @param feeBps_ fee rate (≤ MAX_FEE_BPS). @param feeRecipient_ fee recipient.
    /// @param admin receives DEFAULT_ADMIN_ROLE.
    constructor(
        IERC20 token_,
        IProviderRegistry registry_,
        IOfferBook offerBook_,
        uint64 challengePeriod_,
        uint64 reclaimGrace_,
        uint16 feeBps_,
        address feeRecipient_,
        address admin
    ) EIP712("ComputeMarket", "1") {
        if (
            address(token_) == address(0) || address(registry_) == address(0) || address(offerBook_) == address(0)
                || feeRecipient_ == address(0) || admin == address(0)
        ) revert LeaseEscrowZeroAddress();
        if (feeBps_ > MAX_FEE_BPS) revert LeaseEscrowFeeTooHigh(feeBps_, MAX_FEE_BPS);
        // Bounded so window ends fit their 40-bit field and reclaim times can never overflow.
        if (challengePeriod_ > MAX_PERIOD) revert LeaseEscrowPeriodTooLong(challengePeriod_, MAX_PERIOD);
        if (reclaimGrace_ > MAX_PERIOD) revert LeaseEscrowPeriodTooLong(reclaimGrace_, MAX_PERIOD);
        token = token_;
        registry = registry_;
        offerBook = offerBook_;
        challengePeriod = challengePeriod_;
        reclaimGrace = reclaimGrace_;
        feeBps = feeBps_;
        feeRecipient = feeRecipient_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ---------------------------------------------------------------- admin

    /// @notice Sets the fee rate for batches proposed (and disputes resolved) from now on.
    /// Only DEFAULT_ADMIN_ROLE. Emits a {FeeBpsUpdated} event.
    function setFeeBps(uint16 feeBps_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (feeBps_ > MAX_FEE_BPS) revert LeaseEscrowFeeTooHigh(feeBps_, MAX_FEE_BPS);
        feeBps = feeBps_;
        emit FeeBpsUpdated(feeBps_);
    }

    /// @notice Sets the fee recipient for settlements finalized from now on. Only DEFAULT_ADMIN_ROLE.
    /// Emits a {FeeRecipientUpdated} event.
    function setFeeRecipient(address feeRecipient_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (feeRecipient_ == address(0)) revert LeaseEscrowZeroAddress();
        feeRecipient = feeRecipient_;
        emit FeeRecipientUpdated(feeRecipient_);
    }

    /// @notice Pauses deposit, openLease and proposeSettlement. Only DEFAULT_ADMIN_ROLE.
    /// withdraw, dispute, resolveDispute, finalize, finalizeResolved and reclaim stay open so users can exit.
    /// Emits a {Paused} event.
    function pause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _pause();
    }

    /// @notice Lifts the pause. Only DEFAULT_ADMIN_ROLE.
    /// Emits an {Unpaused} event.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    // ---------------------------------------------------------------- balances

    /// @notice Deposits `amount` (transferFrom the caller) into the caller's balance.
    /// Emits a {Deposited} event.
    function deposit(uint256 amount) external whenNotPaused nonReentrant {
        _deposit(msg.sender, amount);
    }

    /// @notice Deposits `amount` (transferFrom the caller) into `account`'s balance, e.g. to fund a consumer.
    /// Emits a {Deposited} event.
    function depositFor(address account, uint256 amount) external whenNotPaused nonReentrant {
        if (account == address(0)) revert LeaseEscrowZeroAddress();
        _deposit(account, amount);
    }

    /// @notice Like {deposit}, approving with an EIP-2612 permit in the same transaction. A permit
    /// that fails (e.g. front-run) is ignored when the allowance already suffices.
    /// Emits a {Deposited} event.
    function depositWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        whenNotPaused
        nonReentrant
    {
        try IERC20Permit(address(token)).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        _deposit(msg.sender, amount);
    }

    /// @notice Withdraws `amount` of the caller's free balance (deposits not locked, refunds,
    /// earnings, fees, penalties). Open while paused.
    /// Emits a {Withdrawn} event.
    function withdraw(uint256 amount) external nonReentrant {
        if (amount == 0) revert LeaseEscrowZeroAmount();
        Account storage a = _accounts[msg.sender];
        uint256 balance = a.balance;
        if (amount > balance) revert LeaseEscrowInsufficientBalance(balance, amount);
        unchecked {
            // amount <= balance.
            a.balance = uint128(balance - amount);
        }
        emit Withdrawn(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- leases

    /// @notice Opens a lease of offer `offerId` at `pricePerNcuHour` for the consumer's signed `bid`.
    /// Only MATCHER_ROLE. Checks the EIP-712 signature (EOA or ERC-1271), the unused nonce, the
    /// deadline, `offer price ≤ price ≤ bid max`, type / grade / uptime / duration, reserves the
    /// capacity and locks `lockAmount` from the consumer's balance.
    /// Emits a {LeaseOpened} event.
    /// @return leaseId the new lease's id.
    function openLease(Bid calldata bid, bytes calldata signature, uint256 offerId, uint256 pricePerNcuHour)
        external
        onlyRole(MATCHER_ROLE)
        whenNotPaused
        nonReentrant
        returns (uint256 leaseId)
    {
        if (block.timestamp > bid.deadline) revert LeaseEscrowBidExpired(bid.deadline);
        if (bid.maxDurationSec == 0) revert LeaseEscrowInvalidBid();
        {
            uint8 expected = ComputeUnits.gradeOf(bid.milliNcu);
            if (expected == 0 || bid.grade != expected) revert LeaseEscrowBidGradeInvalid(bid.grade, expected);
        }
        if (pricePerNcuHour > bid.maxPricePerNcuHour) revert LeaseEscrowPriceAboveBid(pricePerNcuHour, bid.maxPricePerNcuHour);
        if (pricePerNcuHour > type(uint96).max) revert LeaseEscrowPriceTooLarge(pricePerNcuHour);
        if (offerId > type(uint48).max) revert LeaseEscrowOfferIdTooLarge(offerId);
        address consumer = bid.consumer;
        _useNonce(consumer, bid.nonce);
        if (!SignatureChecker.isValidSignatureNow(consumer, hashBid(bid), signature)) {
            revert LeaseEscrowInvalidSignature(consumer);
        }

        IOfferBook.OfferTerms memory t = offerBook.reserve(offerId, bid.milliNcu);
        if (t.computeType != bid.computeType) revert LeaseEscrowComputeTypeMismatch(bid.computeType, t.computeType);
        if (t.grade != bid.grade) revert LeaseEscrowGradeMismatch(bid.grade, t.grade);
        if (pricePerNcuHour < t.pricePerNcuHour) revert LeaseEscrowPriceBelowOffer(pricePerNcuHour, t.pricePerNcuHour);
        if (bid.minUptimeBps > t.uptimeBps) revert LeaseEscrowUptimeTooLow(bid.minUptimeBps, t.uptimeBps);
        if (bid.maxDurationSec > t.maxDurationSec) revert LeaseEscrowDurationTooLong(bid.maxDurationSec, t.maxDurationSec);

        uint256 lock = ComputeUnits.lockAmount(bid.milliNcu, bid.maxDurationSec, pricePerNcuHour);
        Account storage ca = _accounts[consumer];
        {
            uint256 balance = ca.balance;
            if (lock > balance) revert LeaseEscrowInsufficientBalance(balance, lock);
            unchecked {
                // lock <= balance.
                ca.balance = uint128(balance - lock);
            }
            ca.locked = SafeCast.toUint96(ca.locked + lock);
        }
        _accounts[t.provider].openLeases += 1;
        if (_offerProvider[offerId] == address(0)) _offerProvider[offerId] = t.provider;

        leaseId = ++leaseCount;
        _leases[leaseId] = Lease({
            milliNcu: bid.milliNcu,
            startTime: uint40(block.timestamp),
            maxDurationSec: bid.maxDurationSec,
            offerId: uint48(offerId),
            batchId: 0,
            penaltyBps: t.penaltyBps,
            state: LeaseState.Open,
            consumer: consumer,
            pricePerNcuHour: uint96(pricePerNcuHour)
        });
        emit LeaseOpened(
            leaseId,
            consumer,
            t.provider,
            offerId,
            bid.jobSpecHash,
            bid.computeType,
            bid.grade,
            bid.milliNcu,
            pricePerNcuHour,
            bid.maxDurationSec,
            lock,
            uint64(block.timestamp),
            bid.nonce
        );
    }

    /// @notice Cancels one of the caller's signed bids by burning its nonce, so no matcher can use it.
    /// Open while paused. Emits a {BidCancelled} event.
    function cancelBid(uint256 nonce) external {
        _useNonce(msg.sender, nonce);
        emit BidCancelled(msg.sender, nonce);
    }

    // ---------------------------------------------------------------- settlement

    /// @notice Proposes the settlement of a batch of open leases. Only SETTLER_ROLE.
    /// Each entry packs one lease: `leaseId | usage << 64 | verdict << 192` (bits 200..255 zero; see
    /// {packSettlementEntry}); usage (mNCU·s) is at most `milliNcu × (min(now, start + maxDuration) − start)`,
    /// verdict 0 Met, 1 Breached, 2 ConsumerFault. Each lease must be Open (not settled, not already
    /// in a pending proposal). Starts a `challengePeriod` window and stores only a commitment to
    /// `entries`, which {finalize} must be given again (they are in the event).
    /// Emits a {SettlementProposed} event.
    /// @return batchId the new batch's id.
    function proposeSettlement(uint256[] calldata entries)
        external
        onlyRole(SETTLER_ROLE)
        whenNotPaused
        returns (uint256 batchId)
    {
        uint256 n = entries.length;
        if (n == 0) revert LeaseEscrowEmptyBatch();
        if (n > MAX_BATCH_SIZE) revert LeaseEscrowBatchTooLarge(n, MAX_BATCH_SIZE);
        batchId = ++batchCount;
        for (uint256 i; i < n; ++i) {
            uint256 e = entries[i];
            if (e >> 200 != 0) revert LeaseEscrowInvalidEntry(i, e);
            uint256 leaseId = uint64(e);
            Lease storage l = _leases[leaseId];
            if (l.state != LeaseState.Open) revert LeaseEscrowLeaseNotOpen(leaseId, leaseStateOf(leaseId));
            LeaseSettlement.checkUsage(leaseId, l, uint128(e >> 64), uint8(e >> 192));
            l.state = LeaseState.Proposed;
            l.batchId = uint40(batchId);
        }
        uint64 windowEnd = uint64(block.timestamp) + challengePeriod;
        bytes24 commitment = LeaseSettlement.commitment(entries);
        _batches[batchId] = Batch({
            commitment: commitment,
            windowEnd: uint40(windowEnd),
            status: BatchStatus.Pending,
            feeBps: feeBps
        });
        emit SettlementProposed(batchId, windowEnd, commitment, entries);
    }

    /// @notice Disputes the proposed settlement of `leaseId` inside its challenge window; only the
    /// lease's consumer or provider. The lease leaves its batch and waits for the ARBITER.
    /// Open while paused. Emits a {LeaseDisputed} event.
    function dispute(uint256 leaseId) external {
        Lease storage l = _leases[leaseId];
        _onlyParty(leaseId, l);
        if (l.state != LeaseState.Proposed) revert LeaseEscrowLeaseNotProposed(leaseId, leaseStateOf(leaseId));
        uint256 batchId = l.batchId;
        Batch storage b = _batches[batchId];
        if (b.status != BatchStatus.Pending || block.timestamp >= b.windowEnd) {
            revert LeaseEscrowChallengeWindowClosed(leaseId, b.windowEnd);
        }
        l.state = LeaseState.Disputed;
        emit LeaseDisputed(leaseId, batchId, msg.sender);
    }

    /// @notice Rules on a disputed lease: `usage` (bounded like a proposal) and `verdict`.
    /// Only ARBITER_ROLE. Open while paused. The lease is then settled by {finalizeResolved} (anyone).
    /// Emits a {DisputeResolved} event.
    function resolveDispute(uint256 leaseId, uint128 usage, uint8 verdict) external onlyRole(ARBITER_ROLE) {
        Lease storage l = _leases[leaseId];
        if (l.state != LeaseState.Disputed) revert LeaseEscrowLeaseNotDisputed(leaseId, leaseStateOf(leaseId));
        LeaseSettlement.checkUsage(leaseId, l, usage, verdict);
        _resolutions[leaseId] = Resolution({usage: usage, verdict: verdict, feeBps: feeBps});
        l.state = LeaseState.Resolved;
        emit DisputeResolved(leaseId, usage, verdict);
    }

    /// @notice Settles a resolved lease as the arbiter ruled. Anyone may call it. Open while paused.
    /// Emits a {LeaseSettled} event (and {PenaltyPaid} on a breach).
    function finalizeResolved(uint256 leaseId) external nonReentrant {
        Lease storage l = _leases[leaseId];
        if (l.state != LeaseState.Resolved) revert LeaseEscrowLeaseNotResolved(leaseId, leaseStateOf(leaseId));
        l.state = LeaseState.Settled;
        Resolution memory r = _resolutions[leaseId];
        delete _resolutions[leaseId];

        address consumer = l.consumer;
        address provider = _offerProvider[l.offerId];
        (uint256 charge, uint256 lock, uint256 fee, uint256 penaltyWanted) =
            LeaseSettlement.amounts(l, r.usage, r.verdict, r.feeBps);
        uint256 penaltyPaid = penaltyWanted == 0 ? 0 : _slash(leaseId, provider, consumer, penaltyWanted);
        uint256 refund = lock - charge;

        Account storage ca = _accounts[consumer];
        ca.balance += SafeCast.toUint128(refund + penaltyPaid);
        ca.locked -= uint96(lock); // lock was added to locked when the lease opened
        Account storage pa = _accounts[provider];
        pa.balance += uint128(charge - fee); // charge <= lock < 2^96
        pa.openLeases -= 1;
        if (fee != 0) _accounts[feeRecipient].balance += uint128(fee);
        _releaseOne(l.offerId, l.milliNcu);
        emit LeaseSettled(leaseId, charge, fee, refund, penaltyPaid);
    }

    /// @notice Finalizes batch `batchId` after its challenge window. Anyone may call it, with the same
    /// `entries` as proposed (from the {SettlementProposed} event). Every entry whose lease was not
    /// disputed settles as proposed: provider gets charge − fee, the fee recipient the fee, the
    /// consumer lock − charge (plus, on a breach, the penalty slashed from the provider's stake).
    /// Open while paused. Emits a {BatchFinalized} event (and {PenaltyPaid} per breach).
    function finalize(uint256 batchId, uint256[] calldata entries) external nonReentrant {
        Batch storage b = _batches[batchId];
        if (b.status != BatchStatus.Pending) revert LeaseEscrowBatchNotPending(batchId);
        if (block.timestamp < b.windowEnd) revert LeaseEscrowChallengeWindowOpen(batchId, b.windowEnd);
        if (LeaseSettlement.commitment(entries) != b.commitment) revert LeaseEscrowCommitmentMismatch(batchId);
        b.status = BatchStatus.Finalized;

        LeaseSettlement.Run memory run;
        run.feeBps = b.feeBps;
        uint256 n = entries.length;
        run.offerIds = new uint256[](n);
        run.amounts = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            uint256 e = entries[i];
            uint256 leaseId = uint64(e);
            Lease storage l = _leases[leaseId];
            // A disputed lease left the batch; everything else in it is still Proposed here.
            if (l.state != LeaseState.Proposed || l.batchId != batchId) continue;
            _settleInRun(run, leaseId, l, uint128(e >> 64), uint8(e >> 192));
        }
        LeaseSettlement.flushOffer(run);
        LeaseSettlement.flushConsumer(run, _accounts);
        LeaseSettlement.flushProvider(run, _accounts);
        if (run.fees != 0) _accounts[feeRecipient].balance += SafeCast.toUint128(run.fees);
        if (run.offers != 0) {
            uint256 k = run.offers;
            uint256[] memory offerIds = run.offerIds;
            uint256[] memory amounts = run.amounts;
            assembly ("memory-safe") {
                // Shrink both arrays to the k offers actually filled (k <= n).
                mstore(offerIds, k)
                mstore(amounts, k)
            }
            offerBook.release(offerIds, amounts);
        }
        emit BatchFinalized(batchId, run.settled, run.totalCharge);
    }

    /// @notice Returns an unsettled lease's lock to its consumer's balance; callable by the consumer
    /// (or the provider, to free its stake) once nobody settled it in time:
    /// an Open lease from `start + maxDuration + reclaimGrace`; a Disputed lease the arbiter never
    /// ruled on from `max(start + maxDuration, windowEnd) + reclaimGrace`. A lease in a pending
    /// proposal cannot be reclaimed: anyone can finalize that batch once its window ends, so it is
    /// never stuck; a Resolved lease is settled by anyone with {finalizeResolved}. Open while paused.
    /// Emits a {LeaseReclaimed} event.
    function reclaim(uint256 leaseId) external nonReentrant {
        Lease storage l = _leases[leaseId];
        _onlyParty(leaseId, l);
        uint64 at = reclaimableAt(leaseId);
        if (block.timestamp < at) revert LeaseEscrowReclaimTooEarly(leaseId, at);
        l.state = LeaseState.Reclaimed;
        uint256 lock = ComputeUnits.lockAmount(l.milliNcu, l.maxDurationSec, l.pricePerNcuHour);
        address consumer = l.consumer;
        Account storage ca = _accounts[consumer];
        ca.balance += uint128(lock); // lock < 2^96: it fit in `locked`
        ca.locked -= uint96(lock);
        _accounts[_offerProvider[l.offerId]].openLeases -= 1;
        _releaseOne(l.offerId, l.milliNcu);
        emit LeaseReclaimed(leaseId, consumer, lock);
    }

    // ---------------------------------------------------------------- views

    /// @notice EIP-712 digest of `bid` under this contract's domain: what the consumer signs.
    function hashBid(Bid calldata bid) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(BID_TYPEHASH, bid)));
    }

    /// @notice The EIP-712 domain separator.
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @notice Whether `consumer` has used bid nonce `nonce`.
    function isNonceUsed(address consumer, uint256 nonce) external view returns (bool) {
        return (_nonceBitmap[consumer][nonce >> 8] >> (nonce & 0xff)) & 1 == 1;
    }

    /// @inheritdoc ILeaseEscrow
    function openLeaseCount(address provider) external view returns (uint256) {
        return _accounts[provider].openLeases;
    }

    /// @notice The account's free balance, locked funds and open leases (as provider).
    function accountOf(address account) external view returns (Account memory) {
        return _accounts[account];
    }

    /// @notice The account's free (withdrawable) balance.
    function balanceOf(address account) external view returns (uint256) {
        return _accounts[account].balance;
    }

    /// @notice The account's funds locked in open leases (as consumer).
    function lockedOf(address account) external view returns (uint256) {
        return _accounts[account].locked;
    }

    /// @notice The lease's state; a Proposed lease of a finalized batch reads as Settled.
    function leaseStateOf(uint256 leaseId) public view returns (LeaseState) {
        Lease storage l = _leases[leaseId];
        LeaseState s = l.state;
        if (s == LeaseState.Proposed && _batches[l.batchId].status == BatchStatus.Finalized) return LeaseState.Settled;
        return s;
    }

    /// @notice The whole lease. An unknown id returns a zero record (state None).
    function getLease(uint256 leaseId) external view returns (LeaseView memory v) {
        Lease storage l = _leases[leaseId];
        v.consumer = l.consumer;
        v.provider = _offerProvider[l.offerId];
        v.offerId = l.offerId;
        v.milliNcu = l.milliNcu;
        v.pricePerNcuHour = l.pricePerNcuHour;
        v.startTime = l.startTime;
        v.maxDurationSec = l.maxDurationSec;
        v.penaltyBps = l.penaltyBps;
        v.lockAmount = ComputeUnits.lockAmount(l.milliNcu, l.maxDurationSec, l.pricePerNcuHour);
        v.state = leaseStateOf(leaseId);
        v.batchId = l.batchId;
    }

    /// @notice The batch record (commitment, window end, status, fee rate).
    function getBatch(uint256 batchId) external view returns (Batch memory) {
        return _batches[batchId];
    }

    /// @notice The most usage (mNCU·s) a settlement of `leaseId` may claim right now.
    function maxUsageOf(uint256 leaseId) external view returns (uint256) {
        return LeaseSettlement.maxUsage(_leases[leaseId]);
    }

    /// @notice When `leaseId` becomes reclaimable; reverts when it never can be in its current state.
    function reclaimableAt(uint256 leaseId) public view returns (uint64) {
        Lease storage l = _leases[leaseId];
        LeaseState s = l.state;
        uint64 end = uint64(l.startTime) + l.maxDurationSec;
        if (s == LeaseState.Open) return end + reclaimGrace;
        if (s == LeaseState.Disputed) {
            uint64 windowEnd = _batches[l.batchId].windowEnd;
            return (windowEnd > end ? windowEnd : end) + reclaimGrace;
        }
        if (s == LeaseState.Proposed && _batches[l.batchId].status == BatchStatus.Pending) {
            revert LeaseEscrowLeaseInPendingProposal(leaseId, l.batchId);
        }
        revert LeaseEscrowLeaseNotReclaimable(leaseId, leaseStateOf(leaseId));
    }

    /// @notice The provider of `offerId` as recorded by the first lease on it (zero before).
    function offerProviderOf(uint256 offerId) external view returns (address) {
        return _offerProvider[offerId];
    }

    // ---------------------------------------------------------------- internals

    function _settleInRun(LeaseSettlement.Run memory run, uint256 leaseId, Lease storage l, uint256 usage, uint8 verdict) private {
        uint256 offerId = l.offerId;
        if (offerId != run.offerId) {
            LeaseSettlement.flushOffer(run);
            run.offerId = offerId;
            address provider = _offerProvider[offerId];
            if (provider != run.provider) {
                LeaseSettlement.flushProvider(run, _accounts);
                run.provider = provider;
            }
        }
        address consumer = l.consumer;
        if (consumer != run.consumer) {
            LeaseSettlement.flushConsumer(run, _accounts);
            run.consumer = consumer;
        }
        (uint256 charge, uint256 lock, uint256 fee, uint256 penaltyWanted) = LeaseSettlement.amounts(l, usage, verdict, run.feeBps);
        uint256 penaltyPaid = penaltyWanted == 0 ? 0 : _slash(leaseId, run.provider, consumer, penaltyWanted);
        unchecked {
            // Every lock was added to a uint96 `locked` when its lease opened, so lock < 2^96;
            // charge <= lock, fee <= charge, penaltyPaid <= a uint128 stake; a batch has far fewer
            // than 2^100 entries, so no sum below can reach 2^256.
            run.offerMilli += l.milliNcu;
            run.consumerCredit += lock - charge + penaltyPaid;
            run.consumerUnlock += lock;
            run.providerCredit += charge - fee;
            run.providerLeases += 1;
            run.fees += fee;
            run.totalCharge += charge;
            run.settled += 1;
        }
    }

    function _deposit(address account, uint256 amount) private {
        if (amount == 0) revert LeaseEscrowZeroAmount();
        Account storage a = _accounts[account];
        a.balance = SafeCast.toUint128(a.balance + amount);
        emit Deposited(account, amount);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    function _useNonce(address consumer, uint256 nonce) private {
        mapping(uint256 => uint256) storage words = _nonceBitmap[consumer];
        uint256 bit = 1 << (nonce & 0xff);
        uint256 word = words[nonce >> 8];
        if (word & bit != 0) revert LeaseEscrowNonceUsed(consumer, nonce);
        words[nonce >> 8] = word | bit;
    }

    function _onlyParty(uint256 leaseId, Lease storage l) private view {
        if (msg.sender != l.consumer && msg.sender != _offerProvider[l.offerId]) {
            revert LeaseEscrowNotLeaseParty(leaseId, msg.sender);
        }
    }


    function _slash(uint256 leaseId, address provider, address consumer, uint256 amount) private returns (uint256 paid) {
        paid = registry.slash(provider, amount, address(this));
        if (paid != 0) emit PenaltyPaid(leaseId, provider, consumer, paid);
    }

    function _releaseOne(uint256 offerId, uint256 milliNcu) private {
        uint256[] memory ids = new uint256[](1);
        uint256[] memory amounts = new uint256[](1);
        ids[0] = offerId;
        amounts[0] = milliNcu;
        offerBook.release(ids, amounts);
    }
}
