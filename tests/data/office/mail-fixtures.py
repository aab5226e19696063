"""Makes the mail fixtures of tests/data/office: thu.eml, thu-html.eml, dinh-kem.eml, hop-thu.mbox.
Run in an empty folder (needs LibreOffice for the two .docx): python3 mail-fixtures.py"""
import subprocess

FODT = {'baocao': '<?xml version="1.0" encoding="UTF-8"?>\n<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">\n <office:body>\n  <office:text>\n   <text:h text:outline-level="1">Báo cáo công tác quý I năm 2024</text:h>\n   <text:p>Phòng Hành chính – Tổng hợp xin báo cáo kết quả công tác quý I như sau.</text:p>\n   <text:p>Người phụ trách: ông Trần Đức Lương, trưởng phòng.</text:p>\n   <text:p>Đã hoàn thành việc kiểm kê tài sản và cập nhật hồ sơ nhân sự.</text:p>\n  </office:text>\n </office:body>\n</office:document>\n', 'bienban': '<?xml version="1.0" encoding="UTF-8"?>\n<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">\n <office:body>\n  <office:text>\n   <text:h text:outline-level="1">Biên bản họp giao ban</text:h>\n   <text:p>Thời gian: 8 giờ 30, thứ Hai ngày 11 tháng 3 năm 2024.</text:p>\n   <text:p>Chủ trì: đồng chí Trần Đức Lương.</text:p>\n   <text:p>Cuộc họp thống nhất kế hoạch tháng 4.</text:p>\n  </office:text>\n </office:body>\n</office:document>\n'}

for name, xml in FODT.items():
    open(name + '.fodt', 'w').write(xml)
    subprocess.run(['soffice', '--headless', '--convert-to', 'docx', name + '.fodt'], check=True,
                   stdout=subprocess.DEVNULL)
import io, unicodedata, zipfile
from email.message import EmailMessage
from email.policy import SMTP
from email.headerregistry import Address
from email import utils

TONES = {'\u0300', '\u0301', '\u0303', '\u0309', '\u0323'}

def cp1258(text):
    """Windows-1258 as a Vietnamese keyboard types it: base letters precomposed, tones combining."""
    out = []
    for ch in text:
        d = unicodedata.normalize('NFD', ch)
        base = ''.join(c for c in d if c not in TONES)
        tones = ''.join(c for c in d if c in TONES)
        out.append(unicodedata.normalize('NFC', base) + tones)
    return ''.join(out).encode('cp1258')

def qword(s):
    """An RFC 2047 Q encoded word in UTF-8, as Thunderbird writes it (ASCII left as is)."""
    if s.isascii():
        return s
    out = ''.join(c if c.isascii() and c.isalnum() else '_' if c == ' ' else
                  ''.join('=%02x' % b for b in c.encode()) for c in s)
    return '=?UTF-8?Q?' + out + '?='

def addr(a):
    return qword(a.display_name) + ' <' + a.addr_spec + '>'

FIELDS = {}

def headers(m, frm, to, subject, date, cc=None, mid=None, agent=None):
    """Header fields in Thunderbird's order; From/To/Cc/Subject/Date written raw by `raw`."""
    m['Message-ID'] = mid or utils.make_msgid(domain='sokhdt.hanoi.gov.vn')
    m['Date'] = date
    m['MIME-Version'] = '1.0'
    if agent:
        m['User-Agent'] = agent
    m['From'] = frm
    m['To'] = to
    if cc:
        m['Cc'] = cc
    m['Subject'] = subject
    FIELDS[id(m)] = {b'From': addr(frm), b'To': addr(to), b'Subject': ' '.join(
        [w for w in subject.split(' ') if w.isascii() and subject.startswith(w + ' ') and w.endswith(':')][:1]
        + [qword(subject.split(': ', 1)[-1] if subject.startswith(('Re: ', 'Fwd: ')) else subject)]),
        b'Date': date}
    if cc:
        FIELDS[id(m)][b'Cc'] = addr(cc)

def raw(m):
    """The message's bytes with the fields of FIELDS as Thunderbird writes them, and no
    MIME-Version in the parts (Python's email package adds one)."""
    data = m.as_bytes().replace(b'\r\n', b'\n')
    head, sep, body = data.partition(b'\n\n')
    out, skip = [], False
    for line in head.split(b'\n'):
        if line[:1] in (b' ', b'\t') and skip:
            continue
        name = line.split(b':', 1)[0]
        skip = name in FIELDS[id(m)]
        out.append(name + b': ' + FIELDS[id(m)][name].encode() if skip else line)
    body = body.replace(b'\nMIME-Version: 1.0\n', b'\n')
    return (b'\n'.join(out) + sep + body).replace(b'\n', b'\r\n')

HOA = Address('Nguyễn Thị Hoa', 'hoa.nt', 'sokhdt.hanoi.gov.vn')
TUAN = Address('Phạm Minh Tuấn', 'tuan.pm', 'sokhdt.hanoi.gov.vn')
LAN = Address('Lê Thị Lan', 'lan.lt', 'sokhdt.hanoi.gov.vn')

# thu.eml: Outlook-style multipart/alternative, windows-1258 quoted-printable text and HTML.
plain = ("Kính gửi các đồng chí trưởng phòng,\r\n\r\n"
         "Văn phòng Sở trân trọng kính mời các đồng chí dự cuộc họp giao ban tháng 3,\r\n"
         "do đồng chí Trần Đức Lương, Phó Giám đốc Sở, chủ trì.\r\n\r\n"
         "Thời gian: 8 giờ 30, thứ Hai ngày 11/3/2024.\r\n"
         "Địa điểm: phòng họp tầng 2.\r\n\r\n"
         "Trân trọng,\r\nNguyễn Thị Hoa\r\nVăn phòng Sở\r\n")
html = ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1258\"></head>"
        "<body><p>Kính gửi các đồng chí trưởng phòng,</p>"
        "<p>Văn phòng Sở trân trọng kính mời các đồng chí dự cuộc họp giao ban tháng 3, "
        "do đồng chí <b>Trần Đức Lương</b>, Phó Giám đốc Sở, chủ trì.</p>"
        "<p>Thời gian: 8 giờ 30, thứ Hai ngày 11/3/2024.<br>Địa điểm: phòng họp tầng 2.</p>"
        "<p>Trân trọng,<br>Nguyễn Thị Hoa<br>Văn phòng Sở</p></body></html>\r\n")
import quopri
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart


def qp_part(subtype, data, charset):
    p = MIMENonMultipart('text', subtype, charset=charset)
    p['Content-Transfer-Encoding'] = 'quoted-printable'
    p.set_payload(quopri.encodestring(data.replace(b'\r\n', b'\n')).decode('ascii'))
    return p

m = MIMEMultipart('alternative', boundary='----=_NextPart_000_0007_01DA6EED.3BA0E6F0')
m['From'] = qword('Nguyễn Thị Hoa') + ' <hoa.nt@sokhdt.hanoi.gov.vn>'
m['To'] = '"' + qword('Phạm Minh Tuấn') + '" <tuan.pm@sokhdt.hanoi.gov.vn>'
m['Cc'] = qword('Lê Thị Lan') + ' <lan.lt@sokhdt.hanoi.gov.vn>'
m['Subject'] = qword('Thư mời họp giao ban tháng 3')
m['Date'] = 'Tue, 5 Mar 2024 09:15:42 +0700'
m['Message-ID'] = '<000001da6eb2$8f1c2a40$ad547ec0$@sokhdt.hanoi.gov.vn>'
m['MIME-Version'] = '1.0'
m['X-Mailer'] = 'Microsoft Outlook 16.0'
m['Thread-Index'] = 'AdpusomPHCpArVR+wK1Ufs+sGrjLxw=='
m['Content-Language'] = 'vi'
del m['MIME-Version']
m['MIME-Version'] = '1.0'
ct = m['Content-Type']
del m['Content-Type']
m['Content-Type'] = ct
m.attach(qp_part('plain', cp1258(plain), 'windows-1258'))
m.attach(qp_part('html', cp1258(html), 'windows-1258'))
for p in m.get_payload():
    del p['MIME-Version']
open('thu.eml', 'wb').write(m.as_bytes().replace(b'\n', b'\r\n'))

# thu-html.eml: Thunderbird, HTML only, UTF-8 quoted-printable.
m = EmailMessage(policy=SMTP)
headers(m, TUAN, HOA, 'Re: Thư mời họp giao ban tháng 3', 'Tue, 5 Mar 2024 10:02:11 +0700',
        mid='<4b1e2c1f-7d3a-4f0e-9a51-2c8e5b7d9f10@sokhdt.hanoi.gov.vn>',
        agent='Mozilla Thunderbird')
m['In-Reply-To'] = '<000001da6eb2$8f1c2a40$ad547ec0$@sokhdt.hanoi.gov.vn>'
m['Content-Language'] = 'vi'
page = ("<!DOCTYPE html>\r\n<html>\r\n  <head>\r\n    <meta http-equiv=\"content-type\" content=\"text/html; charset=UTF-8\">\r\n  </head>\r\n"
        "  <body>\r\n    <p>Chào chị Hoa,</p>\r\n"
        "    <p>Phòng Kế hoạch xác nhận tham dự. Xin gửi lời chào đồng chí Trần&nbsp;Đức&nbsp;Lương.</p>\r\n"
        "    <p>Tuấn<br>\r\n      Phòng Kế hoạch – Tổng hợp</p>\r\n"
        "    <div class=\"moz-cite-prefix\">Vào 05/03/2024 09:15, Nguyễn Thị Hoa đã viết:<br></div>\r\n"
        "    <blockquote type=\"cite\"><p>Kính mời các đồng chí dự họp.</p></blockquote>\r\n"
        "  </body>\r\n</html>\r\n")
m.set_content(page, subtype='html', charset='utf-8', cte='quoted-printable')
open('thu-html.eml', 'wb').write(raw(m))

# dinh-kem.eml: a text body, baocao.docx and ghichu.txt attached.
m = EmailMessage(policy=SMTP)
headers(m, LAN, HOA, 'Báo cáo công tác quý I', 'Fri, 29 Mar 2024 16:40:05 +0700',
        mid='<8a2f0c3e-51b4-4c9b-b0f1-6d7e2a9c4e33@sokhdt.hanoi.gov.vn>',
        agent='Mozilla Thunderbird')
m.set_content("Chào chị Hoa,\n\nEm gửi chị báo cáo công tác quý I của phòng và ghi chú kèm theo.\n\n"
              "Lan\n", charset='utf-8', cte='8bit')
m.add_attachment(open('baocao.docx', 'rb').read(), maintype='application',
                 subtype='vnd.openxmlformats-officedocument.wordprocessingml.document',
                 filename='baocao.docx')
m.add_attachment("Ghi chú: số liệu tài sản lấy theo kiểm kê ngày 25/3.\n", subtype='plain',
                 charset='utf-8', filename='ghichu.txt', cte='base64')
open('dinh-kem.eml', 'wb').write(raw(m))

# hop-thu.mbox: three messages as Thunderbird stores them.
msgs = []
m = EmailMessage(policy=SMTP)
headers(m, HOA, TUAN, 'Lịch trực tháng 3', 'Mon, 4 Mar 2024 08:01:00 +0700',
        agent='Mozilla Thunderbird')
m.set_content("Chào các anh chị,\n\nLịch trực tháng 3 đã được cập nhật trên cổng thông tin nội bộ.\n"
              "From now on, mọi thay đổi xin báo trước hai ngày.\n\nHoa\n", charset='utf-8', cte='8bit')
msgs.append(('Mon Mar  4 08:01:00 2024', m))
m = EmailMessage(policy=SMTP)
headers(m, TUAN, HOA, 'Re: Lịch trực tháng 3', 'Mon, 4 Mar 2024 09:30:00 +0700',
        cc=LAN, agent='Mozilla Thunderbird')
m.set_content("Chào chị Hoa,\n\nNgày 9/3 em đổi ca với anh Trần Đức Lương, anh ấy đã đồng ý.\n\n"
              "Tuấn\n", charset='utf-8', cte='quoted-printable')
msgs.append(('Mon Mar  4 09:30:00 2024', m))
buf = io.BytesIO()
with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
    z.write('bienban.docx', 'hoso/bienban.docx')
m = EmailMessage(policy=SMTP)
headers(m, LAN, TUAN, 'Hồ sơ họp giao ban', 'Tue, 12 Mar 2024 14:20:00 +0700',
        agent='Mozilla Thunderbird')
m.set_content("Anh Tuấn,\n\nEm gửi anh hồ sơ cuộc họp giao ban (file nén).\n\nLan\n",
              charset='utf-8', cte='8bit')
m.add_attachment(buf.getvalue(), maintype='application', subtype='zip', filename='hoso.zip')
msgs.append(('Tue Mar 12 14:20:00 2024', m))
with open('hop-thu.mbox', 'wb') as f:
    for date, m in msgs:
        m['X-Mozilla-Status'] = '0001'
        raw_bytes = raw(m).replace(b'\r\n', b'\n')
        # mboxrd: a body line starting with "From " (or ">From ") gets one more ">".
        lines = [b'>' + l if l.lstrip(b'>').startswith(b'From ') else l for l in raw_bytes.split(b'\n')]
        f.write(b'From - ' + date.encode() + b'\n' + b'\n'.join(lines).rstrip(b'\n') + b'\n\n')
