<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi" sourcelanguage="en">
<context>
    <name>CameraPage</name>
    <message>
        <location filename="../technician/camera_page.py" line="95" />
        <source>built-in demo codes</source>
        <translation>mã thử có sẵn</translation>
    </message>
    <message>
        <location filename="../technician/camera_page.py" line="97" />
        <source>Now: {0} ({1})</source>
        <translation>Đang dùng: {0} ({1})</translation>
    </message>
    <message>
        <location filename="../technician/camera_page.py" line="103" />
        <source>{0:.0f} frames/s in · {1:.0f} decoded/s · {2} codes read</source>
        <translation>{0:.0f} khung hình/giây · giải mã {1:.0f}/giây · đã đọc {2} mã</translation>
    </message>
    <message>
        <location filename="../technician/camera_page.py" line="109" />
        <source>Use this camera</source>
        <translation>Dùng camera này</translation>
    </message>
    <message>
        <location filename="../technician/camera_page.py" line="110" />
        <source>Look again</source>
        <translation>Tìm lại</translation>
    </message>
    <message>
        <location filename="../technician/camera_page.py" line="111" />
        <source>A new camera is used from the next start of the kiosk.</source>
        <translation>Camera mới được dùng từ lần khởi động kiosk sau.</translation>
    </message>
    <message>
        <source>No camera found on this machine: plug one in, then press “Look again”.</source>
        <translation>Không tìm thấy camera nào trên máy này: cắm camera vào rồi bấm “Tìm lại”.</translation>
    </message>
</context>
<context>
    <name>CounterPanel</name>
    <message>
        <location filename="../widgets/counter_panel.py" line="154" />
        <source>Waiting for a scan</source>
        <translation>Đang chờ quét mã</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="156" />
        <source>Verified (Công dân số)</source>
        <translation>Đã xác thực (Công dân số)</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="158" />
        <source>Read from an ID card — not verified</source>
        <translation>Đọc từ CCCD — chưa xác thực</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="178" />
        <source>✓ ID card and credential: same person</source>
        <translation>✓ CCCD và mã Công dân số: cùng một người</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="184" />
        <source>name</source>
        <translation>họ tên</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="185" />
        <location filename="../widgets/counter_panel.py" line="239" />
        <source>ID number</source>
        <translation>Số định danh</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="186" />
        <source>date of birth</source>
        <translation>ngày sinh</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="191" />
        <source>✕ NOT the same person: {0} differ</source>
        <translation>✕ KHÔNG cùng một người: khác {0}</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="209" />
        <source>Copied as text</source>
        <translation>Đã sao chép dạng văn bản</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="216" />
        <source>Copied as JSON</source>
        <translation>Đã sao chép dạng JSON</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="228" />
        <source>Recorded</source>
        <translation>Đã ghi nhận</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="231" />
        <source>Not recorded: {0}</source>
        <translation>Chưa ghi nhận: {0}</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="234" />
        <source>Service</source>
        <translation>Dịch vụ</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="237" />
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="238" />
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="240" />
        <source>Date of birth</source>
        <translation>Ngày sinh</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="241" />
        <source>Show full ID number</source>
        <translation>Hiện đầy đủ số định danh</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="242" />
        <source>Reference number (optional)</source>
        <translation>Số tham chiếu (không bắt buộc)</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="243" />
        <source>Record</source>
        <translation>Ghi nhận</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="244" />
        <source>Copy text</source>
        <translation>Sao chép văn bản</translation>
    </message>
    <message>
        <location filename="../widgets/counter_panel.py" line="245" />
        <source>Copy JSON</source>
        <translation>Sao chép JSON</translation>
    </message>
    <message>
        <source>Hide the ID number</source>
        <translation>Ẩn số định danh</translation>
    </message>
    <message>
        <source>Recording…</source>
        <translation>Đang ghi nhận…</translation>
    </message>
    <message>
        <source>Scan the Công dân số code to record</source>
        <translation>Quét mã Công dân số để ghi nhận</translation>
    </message>
    <message>
        <source>Not the same person: cannot record</source>
        <translation>Không cùng một người: không thể ghi nhận</translation>
    </message>
    <message>
        <source>Choose the service to record</source>
        <translation>Chọn dịch vụ để ghi nhận</translation>
    </message>
    <message>
        <source>Record {0} for {1}</source>
        <translation>Ghi nhận {0} cho {1}</translation>
    </message>
    <message>
        <source>Record {0} for {1} (NOT verified)</source>
        <translation>Ghi nhận {0} cho {1} (CHƯA xác thực)</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Đã sao chép</translation>
    </message>
    <message>
        <source>Copied, and sent to the counter's software</source>
        <translation>Đã sao chép và gửi sang phần mềm của quầy</translation>
    </message>
    <message>
        <source>Copied (the counter's software link is not set up)</source>
        <translation>Đã sao chép (chưa thiết lập kết nối với phần mềm của quầy)</translation>
    </message>
    <message>
        <source>Recorded: {0}</source>
        <translation>Đã ghi nhận: {0}</translation>
    </message>
    <message>
        <source>reference {0}</source>
        <translation>số tham chiếu {0}</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— chọn dịch vụ —</translation>
    </message>
    <message>
        <source>Copy the details</source>
        <translation>Sao chép thông tin</translation>
    </message>
    <message>
        <source>Reference number</source>
        <translation>Số tham chiếu</translation>
    </message>
    <message>
        <source>NOT VERIFIED: read from an unsigned ID card</source>
        <translation>CHƯA XÁC THỰC: đọc từ thẻ CCCD không có chữ ký</translation>
    </message>
    <message>
        <source>Not recorded: the journal cannot write now</source>
        <translation>Chưa ghi nhận: nhật ký không ghi được lúc này</translation>
    </message>
    <message>
        <source>Not recorded: the journal refused it (the technician's journal says why)</source>
        <translation>Chưa ghi nhận: nhật ký từ chối (nhật ký kỹ thuật ghi rõ lý do)</translation>
    </message>
    <message>
        <source>ID number</source>
        <comment>in a list of what differs</comment>
        <translation>số định danh</translation>
    </message>
    <message>
        <source>The reference is not kept: this kiosk is not enrolled with the portal yet</source>
        <translation>Số tham chiếu không được lưu: kiosk chưa đăng ký với cổng dịch vụ</translation>
    </message>
</context>
<context>
    <name>GuardPanel</name>
    <message>
        <location filename="../widgets/guard_panel.py" line="146" />
        <source>Today: {0} in · {1} out
Inside now: {2}</source>
        <translation>Hôm nay: {0} vào · {1} ra
Đang ở trong: {2}</translation>
    </message>
    <message>
        <location filename="../widgets/guard_panel.py" line="212" />
        <source>Last events</source>
        <translation>Lượt gần đây</translation>
    </message>
</context>
<context>
    <name>JournalPage</name>
    <message>
        <location filename="../technician/journal_page.py" line="155" />
        <source>Exporting…</source>
        <translation>Đang xuất…</translation>
    </message>
    <message>
        <location filename="../technician/journal_page.py" line="159" />
        <source>Exported {0}</source>
        <translation>Đã xuất {0}</translation>
    </message>
    <message>
        <location filename="../technician/journal_page.py" line="159" />
        <source>Export failed: {0}</source>
        <translation>Xuất thất bại: {0}</translation>
    </message>
    <message>
        <location filename="../technician/journal_page.py" line="163" />
        <source>Search (result, reason, direction…)</source>
        <translation>Tìm (kết quả, lý do, hướng…)</translation>
    </message>
    <message>
        <location filename="../technician/journal_page.py" line="164" />
        <source>Last 24 hours</source>
        <translation>24 giờ qua</translation>
    </message>
    <message>
        <location filename="../technician/journal_page.py" line="165" />
        <source>Export CSV</source>
        <translation>Xuất CSV</translation>
    </message>
    <message>
        <location filename="../technician/journal_page.py" line="166" />
        <source>From</source>
        <translation>Từ</translation>
    </message>
    <message>
        <location filename="../technician/journal_page.py" line="167" />
        <source>To</source>
        <translation>Đến</translation>
    </message>
    <message>
        <location filename="../technician/journal_page.py" line="170" />
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <location filename="../technician/journal_page.py" line="171" />
        <source>Event</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <location filename="../technician/journal_page.py" line="172" />
        <source>Direction or service</source>
        <translation>Hướng hoặc dịch vụ</translation>
    </message>
    <message>
        <location filename="../technician/journal_page.py" line="173" />
        <source>Result</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <location filename="../technician/journal_page.py" line="174" />
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="307" />
        <source>DEMO — built-in test codes, not a real camera</source>
        <translation>CHẠY THỬ — mã mẫu có sẵn, không phải camera thật</translation>
    </message>
</context>
<context>
    <name>OutOfServiceView</name>
    <message>
        <location filename="../widgets/out_of_service.py" line="41" />
        <source>OUT OF SERVICE</source>
        <translation>TẠM NGỪNG HOẠT ĐỘNG</translation>
    </message>
    <message>
        <location filename="../widgets/out_of_service.py" line="43" />
        <source>Please ask staff for help. The technician sees the details.</source>
        <translation>Vui lòng nhờ nhân viên hỗ trợ. Kỹ thuật viên xem chi tiết.</translation>
    </message>
</context>
<context>
    <name>PinPage</name>
    <message>
        <location filename="../technician/pin_page.py" line="91" />
        <source>Checking…</source>
        <translation>Đang kiểm tra…</translation>
    </message>
    <message>
        <location filename="../technician/pin_page.py" line="97" />
        <source>Journal down: the door stays locked</source>
        <translation>Nhật ký không ghi được: cửa vẫn khóa</translation>
    </message>
    <message>
        <location filename="../technician/pin_page.py" line="101" />
        <source>Wrong PIN ({0} of 5)</source>
        <translation>Sai mã PIN (lần {0}/5)</translation>
    </message>
    <message>
        <location filename="../technician/pin_page.py" line="104" />
        <source>Too many wrong PINs. Locked for {0} s</source>
        <translation>Sai mã PIN quá nhiều lần. Tạm khóa {0} giây</translation>
    </message>
    <message>
        <location filename="../technician/pin_page.py" line="122" />
        <source>Technician PIN</source>
        <translation>Mã PIN kỹ thuật viên</translation>
    </message>
    <message>
        <location filename="../technician/pin_page.py" line="123" />
        <source>Back to scanning</source>
        <translation>Quay lại quét mã</translation>
    </message>
    <message>
        <location filename="../technician/pin_page.py" line="109" />
        <source>Technician access is not set up</source>
        <translation>Chưa thiết lập quyền kỹ thuật viên</translation>
    </message>
    <message>
        <location filename="../technician/pin_page.py" line="113" />
        <source>No technician PIN is set on this kiosk.</source>
        <translation>Kiosk này chưa có mã PIN kỹ thuật viên.</translation>
    </message>
    <message>
        <location filename="../technician/pin_page.py" line="115" />
        <source>A technician sets one on the kiosk with the command</source>
        <translation>Kỹ thuật viên đặt mã ngay trên máy bằng lệnh</translation>
    </message>
    <message>
        <location filename="../technician/pin_page.py" line="117" />
        <source>or shows a technician badge to the camera.</source>
        <translation>hoặc đưa thẻ kỹ thuật viên trước camera.</translation>
    </message>
</context>
<context>
    <name>ScanView</name>
    <message>
        <location filename="../widgets/scan_view.py" line="42" />
        <source>Hold the QR code inside the frame</source>
        <translation>Đưa mã QR vào khung</translation>
    </message>
</context>
<context>
    <name>SelfTestPage</name>
    <message>
        <location filename="../technician/selftest_page.py" line="93" />
        <source>Run the self-test</source>
        <translation>Chạy tự kiểm tra</translation>
    </message>
</context>
<context>
    <name>SettingWords</name>
    <message>
        <location filename="../technician/setting_words.py" line="160" />
        <source>a setting</source>
        <translation>một thiết lập</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="160" />
        <source>«{0}» must be at least {1}</source>
        <translation>«{0}» phải từ {1} trở lên</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="160" />
        <source>«{0}» must be at most {1}</source>
        <translation>«{0}» phải không quá {1}</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="160" />
        <source>«{0}»: choose one of the values offered</source>
        <translation>«{0}»: hãy chọn một trong các giá trị có sẵn</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="160" />
        <source>«{0}» is not a valid key (64 hexadecimal characters)</source>
        <translation>«{0}» không phải là khóa hợp lệ (64 ký tự thập lục phân)</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="160" />
        <source>«{0}» is not a source the kiosk knows (e.g. camera:0)</source>
        <translation>«{0}» không phải nguồn mà kiosk nhận biết (ví dụ camera:0)</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="160" />
        <source>«{0}»: a service code is letters, digits, - and _ only</source>
        <translation>«{0}»: mã dịch vụ chỉ gồm chữ, số, - và _</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="160" />
        <source>the journal cannot record the change, so nothing was written</source>
        <translation>nhật ký không ghi được thay đổi, nên chưa có gì được lưu</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="160" />
        <source>«{0}» has a value the kiosk cannot use</source>
        <translation>«{0}» có giá trị mà kiosk không dùng được</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="144" />
        <source>Empty: the services of the counter's kind</source>
        <translation>Để trống: các dịch vụ theo loại quầy</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="18" />
        <source>Kiosk name</source>
        <translation>Tên kiosk</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="19" />
        <source>Site code</source>
        <translation>Mã địa điểm</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="20" />
        <source>Kiosk type</source>
        <translation>Loại kiosk</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="21" />
        <source>Screen language</source>
        <translation>Ngôn ngữ màn hình</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="22" />
        <source>Gate direction at start</source>
        <translation>Hướng cổng khi khởi động</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="25" />
        <source>Counter services</source>
        <translation>Dịch vụ tại quầy</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="26" />
        <source>Code source</source>
        <translation>Nguồn đọc mã</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="27" />
        <source>Full screen</source>
        <translation>Toàn màn hình</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="28" />
        <source>Show the camera picture</source>
        <translation>Hiện hình camera</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="29" />
        <source>Verdict shown for</source>
        <translation>Hiện kết quả trong</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="30" />
        <source>Sounds</source>
        <translation>Âm báo</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="31" />
        <source>Unsigned ID card at a gate</source>
        <translation>CCCD không có chữ ký tại cổng</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="34" />
        <source>Out-of-date trust list</source>
        <translation>Khi danh sách khóa đã cũ</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="37" />
        <source>Grace after the list's next update</source>
        <translation>Gia hạn sau hạn cập nhật danh sách</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="40" />
        <source>Entering twice without leaving</source>
        <translation>Vào hai lần mà chưa ra</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="43" />
        <source>Keep personal data for</source>
        <translation>Giữ dữ liệu cá nhân trong</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="46" />
        <source>Portal address</source>
        <translation>Địa chỉ cổng dịch vụ</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="47" />
        <source>Portal certificate check</source>
        <translation>Kiểm tra chứng chỉ cổng dịch vụ</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="48" />
        <source>Trust anchor key</source>
        <translation>Khóa gốc tin cậy</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="49" />
        <source>Camera picture width</source>
        <translation>Chiều rộng hình camera</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="50" />
        <source>Camera picture height</source>
        <translation>Chiều cao hình camera</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="51" />
        <source>Camera focuses itself</source>
        <translation>Camera tự lấy nét</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="52" />
        <source>Manual focus</source>
        <translation>Lấy nét thủ công</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="53" />
        <source>Camera sets its exposure</source>
        <translation>Camera tự chỉnh độ sáng</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="56" />
        <source>Manual exposure</source>
        <translation>Độ sáng thủ công</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="57" />
        <source>Scanner serial speed</source>
        <translation>Tốc độ cổng nối tiếp của máy quét</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="58" />
        <source>Hand-off to the counter's software</source>
        <translation>Chuyển thông tin sang phần mềm quầy</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="61" />
        <source>Hand-off folder</source>
        <translation>Thư mục chuyển thông tin</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="62" />
        <source>Hand-off port (this computer only)</source>
        <translation>Cổng chuyển thông tin (chỉ máy này)</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="74" />
        <source>Gate (entry and exit)</source>
        <translation>Cổng (vào và ra)</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="75" />
        <source>Service counter</source>
        <translation>Quầy dịch vụ</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="76" />
        <source>Vietnamese</source>
        <translation>Tiếng Việt</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="77" />
        <source>English</source>
        <translation>Tiếng Anh</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="78" />
        <source>Amber, do not let through</source>
        <translation>Màu vàng, không cho qua</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="81" />
        <source>Amber, let through</source>
        <translation>Màu vàng, cho qua</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="84" />
        <source>Accept and warn</source>
        <translation>Chấp nhận và cảnh báo</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="87" />
        <source>Refuse every code</source>
        <translation>Từ chối mọi mã</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="90" />
        <source>Allow</source>
        <translation>Cho phép</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="91" />
        <source>Warn the guard</source>
        <translation>Cảnh báo bảo vệ</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="94" />
        <source>Refuse</source>
        <translation>Từ chối</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="95" />
        <source>The system's certificates</source>
        <translation>Chứng chỉ của hệ thống</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="98" />
        <source>A certificate bundle file</source>
        <translation>Một tệp chứng chỉ</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="101" />
        <source>One pinned certificate</source>
        <translation>Một chứng chỉ cố định</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="104" />
        <source>Off</source>
        <translation>Tắt</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="105" />
        <source>A file in a folder</source>
        <translation>Một tệp trong thư mục</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="108" />
        <source>Local web address</source>
        <translation>Địa chỉ web trên máy này</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="118" />
        <source> s</source>
        <translation> giây</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="119" />
        <location filename="../technician/setting_words.py" line="120" />
        <source> days</source>
        <translation> ngày</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="121" />
        <location filename="../technician/setting_words.py" line="122" />
        <source> px</source>
        <translation> điểm ảnh</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="123" />
        <source> baud</source>
        <translation> baud</translation>
    </message>
    <message>
        <location filename="../technician/setting_words.py" line="135" />
        <source>Camera decides</source>
        <translation>Camera tự quyết định</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../technician/settings_page.py" line="207" />
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <location filename="../technician/settings_page.py" line="214" />
        <source>Saved and journaled: {0}</source>
        <translation>Đã lưu và ghi nhật ký: {0}</translation>
    </message>
    <message>
        <location filename="../technician/settings_page.py" line="220" />
        <source>Some changes take effect at the next start.</source>
        <translation>Một số thay đổi có hiệu lực từ lần khởi động sau.</translation>
    </message>
    <message>
        <location filename="../technician/settings_page.py" line="224" />
        <source>Nothing changed</source>
        <translation>Không có thay đổi</translation>
    </message>
    <message>
        <location filename="../technician/settings_page.py" line="227" />
        <source>Not saved: {0}</source>
        <translation>Chưa lưu: {0}</translation>
    </message>
    <message>
        <location filename="../technician/settings_page.py" line="234" />
        <source>not a valid key</source>
        <translation>khóa không hợp lệ</translation>
    </message>
    <message>
        <location filename="../technician/settings_page.py" line="235" />
        <source>Fingerprint: {0}</source>
        <translation>Dấu vân tay khóa: {0}</translation>
    </message>
    <message>
        <location filename="../technician/settings_page.py" line="238" />
        <source>Save settings</source>
        <translation>Lưu cài đặt</translation>
    </message>
    <message>
        <location filename="../technician/settings_page.py" line="218" />
        <source>Written to {0}</source>
        <translation>Đã ghi vào {0}</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <location filename="../widgets/status_line.py" line="83" />
        <source>Starting…</source>
        <translation>Đang khởi động…</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="88" />
        <source>Gate</source>
        <translation>Cổng</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="88" />
        <source>Counter</source>
        <translation>Quầy</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="96" />
        <source>DEMO (no camera)</source>
        <translation>CHẠY THỬ (không có camera)</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="98" />
        <source>DEMO</source>
        <translation>CHẠY THỬ</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="155" />
        <source>No trust list</source>
        <translation>Chưa có danh sách khóa</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="157" />
        <source>List {0}</source>
        <translation>Danh sách khóa: {0}</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="163" />
        <source> · {0} waiting</source>
        <translation> · {0} chờ gửi</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="118" />
        <source> · Disk nearly full</source>
        <translation> · Bộ nhớ sắp đầy</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="118" />
        <source>Synced {0}</source>
        <translation>Đồng bộ {0}</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="169" />
        <source>Offline</source>
        <translation>Mất kết nối</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="171" />
        <source>Not synced</source>
        <translation>Chưa đồng bộ</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="130" />
        <source>Site: {0}/{1} lanes · {2} inside</source>
        <translation>Khu: {0}/{1} lối · {2} người bên trong</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="133" />
        <source>Site bus down · deciding alone</source>
        <translation>Mất kết nối khu · tự quyết định</translation>
    </message>
    <message>
        <location filename="../widgets/status_line.py" line="135" />
        <source>Not a lane of the site</source>
        <translation>Chưa thuộc khu</translation>
    </message>
    <message>
        <source>Lists out of date: sync needed</source>
        <translation>Danh sách khóa đã cũ: cần đồng bộ</translation>
    </message>
    <message>
        <source>Lists expired: sync needed</source>
        <translation>Danh sách khóa hết hạn: cần đồng bộ</translation>
    </message>
    <message>
        <source>Lists up to date</source>
        <translation>Danh sách khóa đã cập nhật</translation>
    </message>
    <message>
        <source>Last sync {0}</source>
        <translation>Đồng bộ lần cuối {0}</translation>
    </message>
</context>
<context>
    <name>TechnicianView</name>
    <message>
        <location filename="../technician/technician_view.py" line="53" />
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <location filename="../technician/technician_view.py" line="54" />
        <source>Self-test</source>
        <translation>Tự kiểm tra</translation>
    </message>
    <message>
        <location filename="../technician/technician_view.py" line="55" />
        <source>Journal</source>
        <translation>Nhật ký</translation>
    </message>
    <message>
        <location filename="../technician/technician_view.py" line="56" />
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../technician/technician_view.py" line="57" />
        <source>Lock and return to scanning</source>
        <translation>Khóa và quay lại quét mã</translation>
    </message>
    <message>
        <location filename="../technician/technician_view.py" line="58" />
        <source>Close the kiosk app</source>
        <translation>Đóng ứng dụng kiosk</translation>
    </message>
    <message>
        <source>Restart the kiosk app now to apply the saved changes</source>
        <translation>Khởi động lại ứng dụng kiosk ngay để áp dụng thay đổi đã lưu</translation>
    </message>
</context>
<context>
    <name>VerdictView</name>
    <message>
        <location filename="../widgets/verdict_view.py" line="57" />
        <source>ID {0} · born {1}</source>
        <translation>Số định danh {0} · sinh năm {1}</translation>
    </message>
</context>
<context>
    <name>Words</name>
    <message>
        <location filename="../texts.py" line="190" />
        <source>the portal did not answer in time</source>
        <translation>cổng thông tin không trả lời kịp</translation>
    </message>
    <message>
        <location filename="../texts.py" line="190" />
        <source>the portal cannot be reached (network)</source>
        <translation>không kết nối được cổng thông tin (mạng)</translation>
    </message>
    <message>
        <location filename="../texts.py" line="190" />
        <source>the proxy refused the connection</source>
        <translation>máy chủ proxy từ chối kết nối</translation>
    </message>
    <message>
        <location filename="../texts.py" line="190" />
        <source>the secure connection failed (certificate)</source>
        <translation>kết nối bảo mật thất bại (chứng chỉ)</translation>
    </message>
    <message>
        <location filename="../texts.py" line="190" />
        <source>the TLS settings are wrong</source>
        <translation>thiết lập TLS không đúng</translation>
    </message>
    <message>
        <location filename="../texts.py" line="190" />
        <source>the portal address is wrong</source>
        <translation>địa chỉ cổng thông tin không đúng</translation>
    </message>
    <message>
        <location filename="../texts.py" line="190" />
        <source>the portal&apos;s answer was malformed or too large</source>
        <translation>câu trả lời của cổng thông tin sai định dạng hoặc quá lớn</translation>
    </message>
    <message>
        <location filename="../texts.py" line="190" />
        <source>the portal&apos;s receipt was not signed by the portal</source>
        <translation>biên nhận không được cổng thông tin ký</translation>
    </message>
    <message>
        <location filename="../texts.py" line="190" />
        <source>the kiosk is not enrolled</source>
        <translation>kiosk chưa được đăng ký</translation>
    </message>
    <message>
        <location filename="../texts.py" line="190" />
        <source>the enrolment is outdated: enrol the kiosk again</source>
        <translation>đăng ký đã cũ: hãy đăng ký lại kiosk</translation>
    </message>
    <message>
        <location filename="../texts.py" line="190" />
        <source>the portal&apos;s trust anchor is not this kiosk&apos;s</source>
        <translation>khóa gốc của cổng thông tin không phải của kiosk này</translation>
    </message>
    <message>
        <location filename="../texts.py" line="190" />
        <source>the portal refused the request ({0})</source>
        <translation>cổng thông tin từ chối yêu cầu ({0})</translation>
    </message>
    <message>
        <location filename="../texts.py" line="26" />
        <source>Not a citizen credential</source>
        <translation>Không phải mã Công dân số</translation>
    </message>
    <message>
        <location filename="../texts.py" line="27" />
        <source>Damaged or malformed code</source>
        <translation>Mã bị hỏng hoặc sai định dạng</translation>
    </message>
    <message>
        <location filename="../texts.py" line="28" />
        <source>Unsupported signature algorithm</source>
        <translation>Mã dùng thuật toán ký không được hỗ trợ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="31" />
        <source>This kiosk has no trust list yet</source>
        <translation>Thiết bị chưa có danh sách khóa tin cậy</translation>
    </message>
    <message>
        <location filename="../texts.py" line="34" />
        <source>Issued by an unknown issuer</source>
        <translation>Mã do nơi cấp không được tin cậy</translation>
    </message>
    <message>
        <location filename="../texts.py" line="35" />
        <source>Invalid signature — forged code</source>
        <translation>Chữ ký không hợp lệ — mã giả mạo</translation>
    </message>
    <message>
        <location filename="../texts.py" line="38" />
        <source>Issuer key not valid for this code</source>
        <translation>Khóa của nơi cấp không hợp lệ cho mã này</translation>
    </message>
    <message>
        <location filename="../texts.py" line="41" />
        <source>Not valid yet</source>
        <translation>Mã chưa có hiệu lực</translation>
    </message>
    <message>
        <location filename="../texts.py" line="42" />
        <source>Expired</source>
        <translation>Mã đã hết hạn</translation>
    </message>
    <message>
        <location filename="../texts.py" line="43" />
        <source>Revoked</source>
        <translation>Mã đã bị thu hồi</translation>
    </message>
    <message>
        <location filename="../texts.py" line="44" />
        <location filename="../texts.py" line="66" />
        <source>Trust list is out of date — sync needed</source>
        <translation>Danh sách khóa đã cũ — cần đồng bộ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="53" />
        <location filename="../texts.py" line="54" />
        <location filename="../texts.py" line="55" />
        <source>VALID</source>
        <translation>HỢP LỆ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="56" />
        <source>ALREADY INSIDE</source>
        <translation>ĐÃ Ở BÊN TRONG</translation>
    </message>
    <message>
        <location filename="../texts.py" line="57" />
        <location filename="../texts.py" line="191" />
        <source>NOT VALID</source>
        <translation>KHÔNG HỢP LỆ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="58" />
        <source>UNVERIFIED</source>
        <translation>CHƯA XÁC THỰC</translation>
    </message>
    <message>
        <location filename="../texts.py" line="69" />
        <location filename="../texts.py" line="72" />
        <source>Entered before without leaving</source>
        <translation>Đã vào trước đó mà chưa ra</translation>
    </message>
    <message>
        <location filename="../texts.py" line="76" />
        <source>ID card code, not signed: it proves nothing</source>
        <translation>Mã trên CCCD, không có chữ ký: không xác thực được</translation>
    </message>
    <message>
        <location filename="../texts.py" line="85" />
        <source>Entry</source>
        <translation>Lối vào</translation>
    </message>
    <message>
        <location filename="../texts.py" line="87" />
        <source>Exit</source>
        <translation>Lối ra</translation>
    </message>
    <message>
        <location filename="../texts.py" line="94" />
        <source>OUT</source>
        <translation>RA</translation>
    </message>
    <message>
        <location filename="../texts.py" line="95" />
        <source>IN</source>
        <translation>VÀO</translation>
    </message>
    <message>
        <location filename="../texts.py" line="99" />
        <source>Do not let through</source>
        <translation>Không cho qua</translation>
    </message>
    <message>
        <location filename="../texts.py" line="104" />
        <source>Electricity</source>
        <translation>Điện</translation>
    </message>
    <message>
        <location filename="../texts.py" line="105" />
        <source>Water</source>
        <translation>Nước</translation>
    </message>
    <message>
        <location filename="../texts.py" line="106" />
        <source>Environment</source>
        <translation>Môi trường</translation>
    </message>
    <message>
        <location filename="../texts.py" line="107" />
        <source>Health</source>
        <translation>Y tế</translation>
    </message>
    <message>
        <location filename="../texts.py" line="108" />
        <source>Education</source>
        <translation>Giáo dục</translation>
    </message>
    <message>
        <location filename="../texts.py" line="109" />
        <source>Banking</source>
        <translation>Ngân hàng</translation>
    </message>
    <message>
        <location filename="../texts.py" line="116" />
        <source>Camera starting</source>
        <translation>Camera đang khởi động</translation>
    </message>
    <message>
        <location filename="../texts.py" line="117" />
        <source>Camera on</source>
        <translation>Camera hoạt động</translation>
    </message>
    <message>
        <location filename="../texts.py" line="118" />
        <location filename="../texts.py" line="327" />
        <source>Camera lost</source>
        <translation>Mất camera</translation>
    </message>
    <message>
        <location filename="../texts.py" line="119" />
        <source>Camera reconnecting</source>
        <translation>Đang kết nối lại camera</translation>
    </message>
    <message>
        <location filename="../texts.py" line="120" />
        <source>Source ended</source>
        <translation>Nguồn đã hết</translation>
    </message>
    <message>
        <location filename="../texts.py" line="121" />
        <source>Camera failed</source>
        <translation>Camera lỗi</translation>
    </message>
    <message>
        <location filename="../texts.py" line="122" />
        <source>Camera off</source>
        <translation>Camera tắt</translation>
    </message>
    <message>
        <location filename="../texts.py" line="129" />
        <source>Scanner starting</source>
        <translation>Máy quét đang khởi động</translation>
    </message>
    <message>
        <location filename="../texts.py" line="130" />
        <source>Scanner ready</source>
        <translation>Máy quét sẵn sàng</translation>
    </message>
    <message>
        <location filename="../texts.py" line="131" />
        <source>Scanner lost</source>
        <translation>Mất máy quét</translation>
    </message>
    <message>
        <location filename="../texts.py" line="132" />
        <source>Scanner reconnecting</source>
        <translation>Đang kết nối lại máy quét</translation>
    </message>
    <message>
        <location filename="../texts.py" line="133" />
        <source>Scanner failed</source>
        <translation>Máy quét lỗi</translation>
    </message>
    <message>
        <location filename="../texts.py" line="134" />
        <source>Scanner off</source>
        <translation>Máy quét tắt</translation>
    </message>
    <message>
        <location filename="../texts.py" line="146" />
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../texts.py" line="147" />
        <source>QR decoder (test image)</source>
        <translation>Bộ đọc QR (ảnh thử)</translation>
    </message>
    <message>
        <location filename="../texts.py" line="148" />
        <source>Trust list</source>
        <translation>Danh sách khóa tin cậy</translation>
    </message>
    <message>
        <location filename="../texts.py" line="149" />
        <source>Revocation list</source>
        <translation>Danh sách thu hồi</translation>
    </message>
    <message>
        <location filename="../texts.py" line="150" />
        <source>Clock vs portal</source>
        <translation>Đồng hồ so với cổng dịch vụ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="151" />
        <source>Portal reachable</source>
        <translation>Kết nối cổng dịch vụ</translation>
    </message>
    <message>
        <source>Site bus</source>
        <translation>Kết nối khu</translation>
    </message>
    <message>
        <source>Check the broker's address and the network (kiosk site status)</source>
        <translation>Kiểm tra địa chỉ máy chủ tin nhắn và mạng (kiosk site status)</translation>
    </message>
    <message>
        <source>Enrol with a code bound to the site</source>
        <translation>Đăng ký bằng mã gắn với khu</translation>
    </message>
    <message>
        <source>{0}/{1} lanes online, {2} inside</source>
        <translation>{0}/{1} lối đang kết nối, {2} người bên trong</translation>
    </message>
    <message>
        <source>Broker unreachable: this lane decides alone</source>
        <translation>Không kết nối được máy chủ tin nhắn: lối này tự quyết định</translation>
    </message>
    <message>
        <source>Not a lane of the site</source>
        <translation>Chưa thuộc khu</translation>
    </message>
    <message>
        <location filename="../texts.py" line="152" />
        <source>Disk space</source>
        <translation>Dung lượng đĩa</translation>
    </message>
    <message>
        <location filename="../texts.py" line="153" />
        <source>Journal chain</source>
        <translation>Chuỗi nhật ký</translation>
    </message>
    <message>
        <location filename="../texts.py" line="161" />
        <source>Demo mode: connect a camera and set scan.source</source>
        <translation>Chế độ chạy thử: cắm camera và đặt scan.source</translation>
    </message>
    <message>
        <location filename="../texts.py" line="164" />
        <source>Check the camera cable, then restart</source>
        <translation>Kiểm tra cáp camera rồi khởi động lại</translation>
    </message>
    <message>
        <location filename="../texts.py" line="167" />
        <source>Reinstall the kiosk software</source>
        <translation>Cài đặt lại phần mềm kiosk</translation>
    </message>
    <message>
        <location filename="../texts.py" line="168" />
        <source>Connect to the portal to fetch the latest lists</source>
        <translation>Kết nối cổng dịch vụ để tải danh sách mới nhất</translation>
    </message>
    <message>
        <location filename="../texts.py" line="171" />
        <source>Enrol the kiosk with the portal</source>
        <translation>Đăng ký kiosk với cổng dịch vụ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="172" />
        <source>Check the network and the portal address</source>
        <translation>Kiểm tra mạng và địa chỉ cổng dịch vụ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="175" />
        <source>Set the clock (enable NTP)</source>
        <translation>Chỉnh đồng hồ (bật NTP)</translation>
    </message>
    <message>
        <location filename="../texts.py" line="176" />
        <source>Free disk space or replace the storage</source>
        <translation>Giải phóng dung lượng hoặc thay ổ lưu trữ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="177" />
        <source>Journal altered: report to the portal operator</source>
        <translation>Nhật ký bị sửa: báo cho đơn vị quản lý cổng</translation>
    </message>
    <message>
        <location filename="../texts.py" line="186" />
        <location filename="../texts.py" line="286" />
        <source>Storage fault: events cannot be saved</source>
        <translation>Lỗi lưu trữ: không ghi được sự kiện</translation>
    </message>
    <message>
        <location filename="../texts.py" line="190" />
        <source>The journal is missing or replaced: a technician must check this kiosk</source>
        <translation>Nhật ký bị mất hoặc bị thay: cần kỹ thuật viên kiểm tra kiosk này</translation>
    </message>
    <message>
        <location filename="../texts.py" line="180" />
        <source>Journal missing or replaced: see kiosk journal restart-chain</source>
        <translation>Nhật ký bị mất hoặc bị thay: xem lệnh kiosk journal restart-chain</translation>
    </message>
    <message>
        <location filename="../texts.py" line="187" />
        <source>Internal fault: the kiosk is restarting its work</source>
        <translation>Lỗi nội bộ: kiosk đang khởi động lại</translation>
    </message>
    <message>
        <location filename="../texts.py" line="197" />
        <source>Not a valid technician badge</source>
        <translation>Không phải thẻ kỹ thuật viên hợp lệ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="198" />
        <source>Badge not signed for this kiosk</source>
        <translation>Thẻ không được ký cho kiosk này</translation>
    </message>
    <message>
        <location filename="../texts.py" line="199" />
        <source>Badge is for another kiosk or site</source>
        <translation>Thẻ dành cho kiosk hoặc địa điểm khác</translation>
    </message>
    <message>
        <location filename="../texts.py" line="200" />
        <source>Badge not valid yet</source>
        <translation>Thẻ chưa có hiệu lực</translation>
    </message>
    <message>
        <location filename="../texts.py" line="201" />
        <source>Badge expired</source>
        <translation>Thẻ đã hết hạn</translation>
    </message>
    <message>
        <location filename="../texts.py" line="203" />
        <source>Badge revoked</source>
        <translation>Thẻ đã bị thu hồi</translation>
    </message>
    <message>
        <location filename="../texts.py" line="213" />
        <source>{0} s</source>
        <translation>{0} giây</translation>
    </message>
    <message>
        <location filename="../texts.py" line="215" />
        <source>{0} min</source>
        <translation>{0} phút</translation>
    </message>
    <message>
        <location filename="../texts.py" line="217" />
        <source>{0} h</source>
        <translation>{0} giờ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="218" />
        <source>{0} days</source>
        <translation>{0} ngày</translation>
    </message>
    <message>
        <location filename="../texts.py" line="266" />
        <source>just now</source>
        <translation>vừa xong</translation>
    </message>
    <message>
        <location filename="../texts.py" line="267" />
        <source>{0} ago</source>
        <translation>{0} trước</translation>
    </message>
    <message>
        <location filename="../texts.py" line="232" />
        <source>Demo codes, no camera</source>
        <translation>Mã thử, không có camera</translation>
    </message>
    <message>
        <location filename="../texts.py" line="234" />
        <source>{0}: picture {1}</source>
        <translation>{0}: hình {1}</translation>
    </message>
    <message>
        <location filename="../texts.py" line="238" />
        <source>{0}: {1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <location filename="../texts.py" line="242" />
        <source>Test image read in {0} ms</source>
        <translation>Đọc ảnh thử trong {0} mili giây</translation>
    </message>
    <message>
        <location filename="../texts.py" line="246" />
        <source>The built-in test image was not read</source>
        <translation>Không đọc được ảnh thử có sẵn</translation>
    </message>
    <message>
        <location filename="../texts.py" line="249" />
        <source>No revocation list installed</source>
        <translation>Chưa có danh sách thu hồi</translation>
    </message>
    <message>
        <location filename="../texts.py" line="261" />
        <source>The list's file is damaged: not in use</source>
        <translation>Tệp danh sách bị hỏng: không được dùng</translation>
    </message>
    <message>
        <location filename="../texts.py" line="250" />
        <source>No trust list installed</source>
        <translation>Chưa có danh sách khóa tin cậy</translation>
    </message>
    <message>
        <location filename="../texts.py" line="252" />
        <source>Version {0}, issued {1} ago</source>
        <translation>Phiên bản {0}, phát hành {1} trước</translation>
    </message>
    <message>
        <location filename="../texts.py" line="256" />
        <source>demo list</source>
        <translation>danh sách thử</translation>
    </message>
    <message>
        <location filename="../texts.py" line="257" />
        <source>past its next update</source>
        <translation>đã quá hạn cập nhật</translation>
    </message>
    <message>
        <location filename="../texts.py" line="258" />
        <source>past its grace period</source>
        <translation>đã quá thời gian gia hạn</translation>
    </message>
    <message>
        <location filename="../texts.py" line="262" />
        <source>Not yet compared with the portal</source>
        <translation>Chưa so với cổng dịch vụ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="264" />
        <source>{0:+.1f} s from the portal</source>
        <translation>lệch {0:+.1f} giây so với cổng dịch vụ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="268" />
        <source>Sync is off</source>
        <translation>Đồng bộ đang tắt</translation>
    </message>
    <message>
        <location filename="../texts.py" line="270" />
        <source>Not enrolled with a portal</source>
        <translation>Chưa đăng ký với cổng dịch vụ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="272" />
        <source>Sync failing: {0}</source>
        <translation>Đồng bộ lỗi: {0}</translation>
    </message>
    <message>
        <location filename="../texts.py" line="274" />
        <source>Last sync {0} ago</source>
        <translation>Đồng bộ lần cuối {0} trước</translation>
    </message>
    <message>
        <location filename="../texts.py" line="278" />
        <source>Reachable</source>
        <translation>Kết nối được</translation>
    </message>
    <message>
        <location filename="../texts.py" line="280" />
        <source>{0:.1f} GB free in {1}</source>
        <translation>Còn trống {0:.1f} GB tại {1}</translation>
    </message>
    <message>
        <location filename="../texts.py" line="284" />
        <source>Journal not open: events are not kept</source>
        <translation>Nhật ký chưa mở: sự kiện không được lưu</translation>
    </message>
    <message>
        <location filename="../texts.py" line="288" />
        <source>{0} rows, chain intact</source>
        <translation>{0} dòng, chuỗi nguyên vẹn</translation>
    </message>
    <message>
        <location filename="../texts.py" line="292" />
        <source>{0} problems in the chain</source>
        <translation>{0} chỗ hỏng trong chuỗi</translation>
    </message>
    <message>
        <location filename="../texts.py" line="296" />
        <source>The check itself failed (see the log)</source>
        <translation>Bản thân phép kiểm tra bị lỗi (xem nhật ký hệ thống)</translation>
    </message>
    <message>
        <location filename="../texts.py" line="304" />
        <source>Scan</source>
        <translation>Quét mã</translation>
    </message>
    <message>
        <location filename="../texts.py" line="306" />
        <source>Passage</source>
        <translation>Qua cổng</translation>
    </message>
    <message>
        <location filename="../texts.py" line="308" />
        <source>Counter transaction</source>
        <translation>Giao dịch tại quầy</translation>
    </message>
    <message>
        <location filename="../texts.py" line="310" />
        <source>Journal created</source>
        <translation>Tạo nhật ký</translation>
    </message>
    <message>
        <location filename="../texts.py" line="311" />
        <source>Journal opened</source>
        <translation>Mở nhật ký</translation>
    </message>
    <message>
        <location filename="../texts.py" line="312" />
        <source>Kiosk started</source>
        <translation>Kiosk khởi động</translation>
    </message>
    <message>
        <location filename="../texts.py" line="313" />
        <source>Kiosk stopped</source>
        <translation>Kiosk dừng</translation>
    </message>
    <message>
        <location filename="../texts.py" line="314" />
        <source>Setting changed</source>
        <translation>Đổi cài đặt</translation>
    </message>
    <message>
        <location filename="../texts.py" line="315" />
        <source>Trust list installed</source>
        <translation>Cài danh sách khóa</translation>
    </message>
    <message>
        <location filename="../texts.py" line="316" />
        <source>Trust list refused</source>
        <translation>Từ chối danh sách khóa</translation>
    </message>
    <message>
        <location filename="../texts.py" line="317" />
        <source>Revocation list installed</source>
        <translation>Cài danh sách thu hồi</translation>
    </message>
    <message>
        <location filename="../texts.py" line="318" />
        <source>Revocation list refused</source>
        <translation>Từ chối danh sách thu hồi</translation>
    </message>
    <message>
        <location filename="../texts.py" line="319" />
        <source>Trust anchor changed</source>
        <translation>Đổi khóa gốc tin cậy</translation>
    </message>
    <message>
        <location filename="../texts.py" line="320" />
        <source>Technician unlocked</source>
        <translation>Kỹ thuật viên mở khóa</translation>
    </message>
    <message>
        <location filename="../texts.py" line="321" />
        <source>Technician locked</source>
        <translation>Kỹ thuật viên khóa lại</translation>
    </message>
    <message>
        <location filename="../texts.py" line="322" />
        <source>Technician badge refused</source>
        <translation>Từ chối thẻ kỹ thuật viên</translation>
    </message>
    <message>
        <location filename="../texts.py" line="323" />
        <source>PIN set</source>
        <translation>Đặt mã PIN</translation>
    </message>
    <message>
        <location filename="../texts.py" line="324" />
        <source>PIN changed</source>
        <translation>Đổi mã PIN</translation>
    </message>
    <message>
        <location filename="../texts.py" line="325" />
        <source>Wrong PIN</source>
        <translation>Sai mã PIN</translation>
    </message>
    <message>
        <location filename="../texts.py" line="326" />
        <source>PIN locked out</source>
        <translation>Tạm khóa mã PIN</translation>
    </message>
    <message>
        <location filename="../texts.py" line="328" />
        <source>Camera back</source>
        <translation>Camera hoạt động lại</translation>
    </message>
    <message>
        <location filename="../texts.py" line="329" />
        <source>Clock drift</source>
        <translation>Đồng hồ lệch</translation>
    </message>
    <message>
        <location filename="../texts.py" line="330" />
        <source>Clock back in step</source>
        <translation>Đồng hồ đúng lại</translation>
    </message>
    <message>
        <location filename="../texts.py" line="331" />
        <source>Portal refused this kiosk</source>
        <translation>Cổng dịch vụ từ chối kiosk này</translation>
    </message>
    <message>
        <location filename="../texts.py" line="332" />
        <source>Direction changed</source>
        <translation>Đổi hướng</translation>
    </message>
    <message>
        <location filename="../texts.py" line="333" />
        <source>Gate opened</source>
        <translation>Mở cổng</translation>
    </message>
    <message>
        <location filename="../texts.py" line="334" />
        <source>Storage fault</source>
        <translation>Lỗi bộ nhớ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="335" />
        <source>Old personal data purged</source>
        <translation>Xóa dữ liệu cá nhân cũ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="337" />
        <source>System event</source>
        <translation>Sự kiện hệ thống</translation>
    </message>
    <message>
        <location filename="../texts.py" line="342" />
        <source>Valid</source>
        <translation>Hợp lệ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="343" />
        <source>Not valid</source>
        <translation>Không hợp lệ</translation>
    </message>
    <message>
        <location filename="../texts.py" line="344" />
        <source>Unverified</source>
        <translation>Chưa xác thực</translation>
    </message>
    <message>
        <location filename="../texts.py" line="351" />
        <source>let through</source>
        <translation>cho qua</translation>
    </message>
    <message>
        <location filename="../texts.py" line="352" />
        <source>refused</source>
        <translation>không cho qua</translation>
    </message>
    <message>
        <location filename="../texts.py" line="353" />
        <source>awaiting passage</source>
        <translation>chờ qua cổng</translation>
    </message>
    <message>
        <location filename="../texts.py" line="354" />
        <source>presented</source>
        <translation>đã xuất trình</translation>
    </message>
    <message>
        <location filename="../texts.py" line="355" />
        <source>passed</source>
        <translation>đã qua</translation>
    </message>
    <message>
        <location filename="../texts.py" line="356" />
        <source>did not pass</source>
        <translation>không qua</translation>
    </message>
    <message>
        <location filename="../texts.py" line="357" />
        <source>recorded</source>
        <translation>đã ghi nhận</translation>
    </message>
    <message>
        <location filename="../texts.py" line="202" />
        <source>Badge lifetime too long</source>
        <translation>Thời hạn thẻ quá dài</translation>
    </message>
    <message>
        <location filename="../texts.py" line="204" />
        <source>This kiosk has no trust anchor</source>
        <translation>Kiosk chưa có khóa gốc tin cậy</translation>
    </message>
    <message>
        <source>Camera disconnected: reconnecting…</source>
        <translation>Mất kết nối camera: đang kết nối lại…</translation>
    </message>
    <message>
        <source>The camera does not work: check its cable</source>
        <translation>Camera không hoạt động: hãy kiểm tra dây cáp</translation>
    </message>
    <message>
        <source>Scanner disconnected: reconnecting…</source>
        <translation>Mất kết nối máy quét: đang kết nối lại…</translation>
    </message>
    <message>
        <source>The scanner does not work: check its cable</source>
        <translation>Máy quét không hoạt động: hãy kiểm tra dây cáp</translation>
    </message>
</context>
</TS>